// ESLint flat config. Kept under test/ to keep the top level small; run with `npm run lint`.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const layer = (name, banned) => ({
  group: banned.flatMap((b) => [`**/${b}`, `**/${b}/**`, `../${b}`, `../${b}/**`, `../../${b}/**`]),
  // The layers are lower case; a component folder such as ui/Embed is not the embed layer.
  caseSensitive: true,
  message: `Imports point down only (app/embed → ui → store → flow → protocol): ${name} may not import this.`,
})
const noUi = { group: ['react', 'react-dom', 'react/**', 'react-dom/**', 'zustand', 'zustand/**', 'framer-motion', 'framer-motion/**'], message: 'protocol/ and flow/ are plain TypeScript: no React, zustand or framer-motion.' }

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use string-literal unions, not enum.' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // The simulated world is deterministic: time, randomness and the network are passed in.
    files: ['src/protocol/**/*.ts', 'src/flow/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noUi, layer('protocol/flow', ['store', 'ui', 'app', 'embed'])] }],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Send through the simulated network (world.send), never the real one.' },
        { name: 'setTimeout', message: 'No timers in the world: time is the simulated clock.' },
        { name: 'setInterval', message: 'No timers in the world: time is the simulated clock.' },
        { name: 'localStorage', message: 'World state is plain data in the world.' },
        { name: 'document', message: 'No DOM in protocol/ or flow/.' },
        { name: 'window', message: 'No DOM in protocol/ or flow/.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the simulated clock (world.now()).' },
        { object: 'Math', property: 'random', message: 'Use the seeded generator (world.randomToken()).' },
        { object: 'crypto', property: 'getRandomValues', message: 'Use the seeded generator (world.randomToken()).' },
      ],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noUi, layer('protocol', ['flow', 'store', 'ui', 'app', 'embed'])] }] },
  },
  {
    files: ['src/store/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('store', ['ui', 'app', 'embed'])] }] },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('ui', ['app', 'embed'])] }] },
  },
  {
    // The page and the embeds sit side by side on top: neither imports the other.
    files: ['src/embed/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('embed', ['app'])] }] },
  },
  {
    // The package's `.` entry is headless: the world only, no React, no page.
    files: ['src/index.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noUi, layer('the package entry', ['flow', 'store', 'ui', 'app', 'embed'])] }] },
  },
  {
    // The package's React entry: the embed's component, never the page.
    files: ['src/react.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('the React entry', ['app'])] }] },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('app', ['embed'])] }] },
  },
)

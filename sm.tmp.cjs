const fs = require('fs'); const zlib = require('zlib')
const { SourceMapConsumer } = require('source-map-js')
const f = fs.readdirSync('dist-sm/assets').find((n) => /^lab-.*\.js$/.test(n))
const code = fs.readFileSync('dist-sm/assets/' + f, 'utf8')
const map = new SourceMapConsumer(JSON.parse(fs.readFileSync('dist-sm/assets/' + f + '.map', 'utf8')))
const lines = code.split('\n'); const per = {}
let prev = null
const chunks = {}
map.eachMapping((m) => {
  if (prev) {
    const key = prev.source || '?'
    if (prev.generatedLine === m.generatedLine) {
      const s = lines[prev.generatedLine - 1].slice(prev.generatedColumn, m.generatedColumn)
      chunks[key] = (chunks[key] || '') + s
    }
  }
  prev = m
})
const rows = Object.entries(chunks).map(([k, s]) => [k.replace(/.*node_modules\//, 'nm/').replace(/.*\/src\//, 'src/'), s.length])
const agg = {}
for (const [k, n] of rows) { const key = k.startsWith('nm/') ? k.split('/').slice(0, 2).join('/') : k; agg[key] = (agg[key] || 0) + n }
const sorted = Object.entries(agg).sort((a, b) => b[1] - a[1])
let total = 0; for (const [, n] of sorted) total += n
console.log('total raw', total)
for (const [k, n] of sorted.slice(0, 60)) console.log(String(n).padStart(8), k)

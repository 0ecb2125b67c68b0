/** OAuth Flow Lab: the package entry. */
export * from './protocol/index.ts'

/**
 * The page's lab store, created before React and the lab's views are evaluated: the signing key
 * (RSA generation, slow on weak devices; it runs off the main thread) and the first steps of the
 * run are then computed while the rest of the page loads.
 */
import { createLabStore } from '../store/labStore.ts'

export const pageStore = createLabStore()

/**
 * framer-motion's animation features, loaded after the first render: until they arrive the lab's
 * `m` elements render where they end up, without animating (about 25 kB gzipped off the first load).
 */
import { domAnimation } from 'framer-motion'

export default domAnimation

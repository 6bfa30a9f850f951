// jco transpile maps the `wkit:e2e/host` import to this module; host.mjs provides the implementation.
const h = globalThis.__wkit_host;
export const log = (m) => h.log(m);
export const lookup = (k) => h.lookup(k);
export const fetch = (id) => h.fetch(id);
export const mix = (a, b, c, d) => h.mix(a, b, c, d);
export const Blob = h.Blob;
export const blobSum = (b) => h.blobSum(b);
export const twist = (m) => h.twist(m);

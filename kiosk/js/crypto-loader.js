// crypto-loader.js — the browser's way to get scrutin-crypto.js ready.
//
// libsodium-wrappers-sumo's ES module build is served by our own server under
// /vendor/ (see kiosk/js/README.md): no CDN, no inline script, no eval; the
// WebAssembly is embedded in libsodium-sumo.mjs and compiled under
// 'wasm-unsafe-eval'.
import sodium from '/vendor/libsodium-wrappers.mjs';
import { init } from './scrutin-crypto.js';

let ready = null;
/** Resolves to the scrutin-crypto API once libsodium is initialised. */
export function loadScrutinCrypto() {
  if (!ready) ready = init(sodium);
  return ready;
}

// kiosk.js — the in-room voting terminal (/k/, run by member-page.js on the
// member page's screens). Scans the paper QR code handed out by the desk
// (camera + jsQR, served from /vendor/jsQR.js and loaded here), runs
// the member flow (member-app.js) with nothing written to storage, and
// forgets everything — memory, storage, page — after the vote or after a
// short inactivity, by reloading a blank page.
//
// Options in the kiosk's own fragment: /k/#idle=90 (seconds of inactivity
// before the wipe, 5–600, default 90).
import { initI18n, t } from './i18n.js';
import { $, showScreen, announce } from './dom.js';
import { createMemberApp } from './member-app.js';

const opts = Object.fromEntries(location.hash.replace(/^#/, '').split('&').filter(Boolean).map((kv) => kv.split('=')));
const IDLE_S = Math.min(600, Math.max(5, Number(opts.idle) || 90));
const AFTER_VOTE_S = Math.min(IDLE_S, 20);

// Nothing from a previous voter may survive: start blank.
try { sessionStorage.clear(); localStorage.removeItem('scrutin.lang'); } catch (e) { /* ignore */ }
initI18n({ persist: false });

let app = null; let stream = null; let timer = null; let scanning = false;

// jsQR is a UMD build, a classic script defining window.jsQR: inserted by
// the kiosk only (the phone page, same file, never fetches it). Resolves
// to whether the decoder is there.
const decoder = new Promise((resolve) => {
  const s = document.createElement('script');
  s.src = '/vendor/jsQR.js';
  s.addEventListener('load', () => resolve(typeof window.jsQR === 'function'));
  s.addEventListener('error', () => resolve(false));
  document.head.append(s);
});

function wipe() {
  scanning = false;
  if (stream) { for (const tr of stream.getTracks()) tr.stop(); stream = null; }
  if (app) app.wipe();
  try { sessionStorage.clear(); } catch (e) { /* ignore */ }
  location.reload();
}
function arm(seconds) {
  clearTimeout(timer);
  timer = setTimeout(wipe, seconds * 1000);
}
for (const ev of ['pointerdown', 'keydown', 'input', 'touchstart']) {
  document.addEventListener(ev, () => { if (app) arm(IDLE_S); }, { passive: true });
}
$('#wipe-kiosk').addEventListener('click', wipe);

async function startCamera() {
  const status = $('#scan-status');
  if (!(await decoder)) { status.textContent = t('k.noDecoder'); return; }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 640 } }, audio: false });
  } catch (e) { status.textContent = t('k.noCamera'); return; }
  const video = $('#camera');
  video.srcObject = stream;
  await video.play().catch(() => {});
  $('#scan-start').hidden = true;
  status.textContent = t('k.scanning');
  scanning = true;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const tick = () => {
    if (!scanning) return;
    if (video.readyState >= 2 && video.videoWidth) {
      canvas.width = video.videoWidth; canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0);
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
      if (code && code.data && onCode(code.data)) return;
    }
    setTimeout(tick, 200);
  };
  tick();
}

function onCode(text) {
  let frag = null;
  try {
    const u = new URL(text);
    if (u.protocol === 'https:' && u.pathname === '/v/' && u.hash.length > 1) frag = u.hash.slice(1);
  } catch (e) { /* not a URL */ }
  if (!frag) { $('#scan-status').textContent = t('k.notOurs'); return false; }
  scanning = false;
  if (stream) { for (const tr of stream.getTracks()) tr.stop(); stream = null; }
  announce(t('k.scanned'));
  arm(IDLE_S);
  createMemberApp({
    kiosk: true, fragment: frag, onFinished: wipe,
    onScreen: (s) => { if (s === 'receipt') arm(AFTER_VOTE_S); },
  }).then((a) => { app = a; });
  return true;
}

$('#scan-start').addEventListener('click', startCamera);
showScreen('scan');
startCamera();

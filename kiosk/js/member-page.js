// member-page.js — the entry of the member's phone page (/v/) and of the
// in-room kiosk (/k/). Both are one file, kiosk/v/index.html (the server
// serves /k/ with the same bytes: server/web.c), so the member's screens
// exist once. What belongs to one page only carries data-page="phone" or
// data-page="kiosk"; the file as written is the phone page (kiosk elements
// hidden, loading shown). This module, render-blocking in the page's head,
// removes the other page's elements before the first paint, then starts
// the phone's member flow (member-app.js) or kiosk.js, which loads the QR
// decoder: the phone never fetches /vendor/jsQR.js. Only dom.js and i18n.js
// are loaded before the first paint; the rest (libsodium: 1 MB) after.
import { $, $$, takeFragment } from './dom.js';
import { initI18n, t } from './i18n.js';

const page = /^\/k\//.test(location.pathname) ? 'kiosk' : 'phone';

for (const e of $$('[data-page]')) {
  if (e.dataset.page !== page) e.remove();
  else e.hidden = false;
}
if (page === 'kiosk') {
  document.body.classList.add('kiosk');
  // The kiosk opens on its scan screen (kiosk.js), not on "loading".
  $('[data-screen="loading"]').hidden = true;
  // Title and brand, French until kiosk.js's initI18n (the kiosk always
  // starts in French: it keeps no language choice).
  for (const [e, key] of [[$('title'), 'k.pageTitle'], [$('.bar .brand'), 'k.brand']]) {
    e.dataset.i18n = key;
    e.textContent = t(key);
  }
  import('./kiosk.js');
} else {
  // The link secret leaves the address bar at once, before the app loads.
  const fragment = takeFragment();
  initI18n();
  import('./member-app.js').then(({ createMemberApp }) => createMemberApp({ fragment }));
}

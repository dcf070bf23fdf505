// member.js — the phone page (/v/#<link secret>). See member-app.js.
import { initI18n } from './i18n.js';
import { takeFragment } from './dom.js';
import { createMemberApp } from './member-app.js';

initI18n();
createMemberApp({ fragment: takeFragment() });

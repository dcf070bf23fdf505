// window.mjs — a question opened for a time window (docs/api.md: open
// with {"closes_at": UNIX}) closes by itself: ballots inside the window
// are acknowledged, the question turns `closed` within a second or two
// after closes_at without anyone asking (question_close on the live
// stream, with the count), and a ballot after it is refused with the
// documented 409 wrong_phase, changing nothing in the box. A window in
// the past is refused. Then the closed question decrypts and counts as
// any other.
import { startServer, tmpDir, check, eq, done, sqlite } from './lib.mjs';
import { api, ceremony, secretBallot, attend, setupMeeting, decrypt, liveEvents } from './meeting-lib.mjs';
import path from 'node:path';

const data = tmpDir('window');
const m = setupMeeting(data, { members: 8 });
const srv = await startServer({ data, extra: ['--rate', '10000', '--burst', '10000'] });
const base = `/api/v1/meetings/${m.id}`;
try {
  const cer = await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'start');
  for (const v of m.voters)
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `check-in ${v.no}`);

  // The live stream, to see the close arrive by itself.
  const events = [];
  const sse = liveEvents(srv, `${base}/events`, events);

  const now = () => Math.floor(Date.now() / 1000);
  let r = await api(srv, 'POST', `${base}/questions/q1/open`, { closes_at: now() - 1 }, m.modToken);
  eq([r.status, r.json.error?.code, r.json.error?.field], [400, 'invalid_field', 'closes_at'], 'a window in the past is refused');
  const closesAt = now() + 3;
  r = await api(srv, 'POST', `${base}/questions/q1/open`, { closes_at: closesAt }, m.modToken);
  eq([r.status, r.json.status], [200, 'open'], 'q1 opened for a window');
  let q1 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q1');
  eq([q1.status, q1.closes_at], ['open', closesAt], 'window end published');

  // Ballots inside the window.
  const inside = m.voters.slice(0, 5).map((v, i) => { const s = [0, 0, 0]; s[i % 3] = 1; return secretBallot(cer, q1, 'q1', v, s); });
  for (const b of inside) {
    r = await api(srv, 'POST', `${base}/ballots`, b);
    eq([r.status, r.json.receipt], [200, b.receipt], 'ballot inside the window acknowledged');
  }
  // Nobody closes it: wait for the server to.
  let closedAt = 0;
  while (Date.now() < (closesAt + 10) * 1000) {
    q1 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q1');
    if (q1.status !== 'open') { closedAt = Date.now(); break; }
    await new Promise((res) => setTimeout(res, 100));
  }
  eq(q1.status, 'closed', 'the question closed by itself');
  check(closedAt >= closesAt * 1000, `not before its window ended (${closedAt - closesAt * 1000} ms after)`);
  check(closedAt - closesAt * 1000 < 2500, `soon after its window ended (${closedAt - closesAt * 1000} ms after)`);
  eq(q1.ballots, inside.length, 'the count of ballots at the close');
  await new Promise((res) => setTimeout(res, 300));
  const ce = events.find((e) => e.name === 'question_close' && e.data.id === 'q1');
  check(ce !== undefined, 'question_close on the live stream');
  eq(ce?.data.ballots, inside.length, 'question_close carries the count');

  // After the window: refused with the documented error, nothing stored.
  const late = secretBallot(cer, q1, 'q1', m.voters[6], [1, 0, 0]);
  r = await api(srv, 'POST', `${base}/ballots`, late);
  eq([r.status, r.json.error?.code], [409, 'wrong_phase'], 'a ballot after the window: 409 wrong_phase');
  check(typeof r.json.error?.fr === 'string' && typeof r.json.error?.en === 'string', 'the error in French and English');
  eq((await api(srv, 'POST', `${base}/ballots`, inside[0])).status, 409, 'even a ballot already stored is not taken again');
  eq(+sqlite(path.join(data, 'box.db'), "SELECT count(*) FROM ballots WHERE qid = 'q1'"), inside.length, 'the box holds the window\'s ballots only');
  eq((await api(srv, 'GET', `${base}/receipts/${late.receipt}`)).status, 404, 'no receipt for the late ballot');
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).json.error?.code, 'wrong_phase', 'closing again: wrong_phase');

  // The closed question counts as any other.
  const d = await decrypt(srv, m, cer, 'q1');
  eq(d.json.missing, 0, 'decrypted');
  r = await api(srv, 'GET', `${base}/questions/q1/result`);
  eq([r.status, r.json.ballots], [200, inside.length], 'result of the window');
  eq(r.json.counts, [2, 2, 1], 'counts of the window');
  sse.destroy();
} finally {
  await srv.stop();
}
done('window');

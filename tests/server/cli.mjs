// cli.mjs — the command line as one table: `scrutin help` lists every
// command (as many lines as the count it prints); each listed command
// answers `scrutin CMD --help`, `-h` and `scrutin help CMD` with exit 0, its
// usage line and its options, the options of the usage line being exactly
// those listed; an unknown option of each command exits 2 with getopt's
// message and the usage line, before the command does anything; an unknown
// command exits 2 with « commande inconnue ».
import fs from 'node:fs';
import { cli, check, eq, done, tmpDir } from './lib.mjs';

// Nothing below may touch a data directory: should a command run after
// all, it would do so in an empty directory of its own.
const data = tmpDir('cli');
const env = { ...process.env, SCRUTIN_DATA: data };
const run = (args) => cli(args, { env });

const help = run(['help']);
eq(help.status, 0, 'scrutin help exits 0');
const lines = help.stdout.split('\n');
const head = lines.findIndex((l) => /^Commandes \(\d+\) :$/.test(l));
check(head > 0, `help prints the number of commands: ${help.stdout}`);
const count = Number(lines[head].match(/\d+/)[0]);
const names = [];
for (const l of lines.slice(head + 1)) {
  const m = l.match(/^ {2}([a-z-]+(?: [a-z-]+)?) {2,}\S/);
  if (!m) break;
  names.push(m[1]);
}
eq(names.length, count, `help lists as many commands as it counts (${names.join(', ')})`);
check(count >= 29, `at least the 29 commands of today (${count})`);
for (const n of ['serve', 'init', 'roll import', 'cred issue', 'meeting create',
  'question second-round', 'question revote', 'record export', 'demo', 'qr', 'events', 'version', 'help'])
  check(names.includes(n), `help lists ${n}`);
eq(new Set(names).size, names.length, 'no command listed twice');

const optionsOf = (text) => [...text.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);

for (const name of names) {
  const words = name.split(' ');
  const h = run([...words, '--help']);
  eq(h.status, 0, `${name} --help exits 0 (${h.stderr.trim()})`);
  const [usage, ...rest] = h.stdout.split('\n');
  check(usage === `usage : scrutin ${name}` || usage.startsWith(`usage : scrutin ${name} `),
    `${name} --help: usage line names the command: ${usage}`);
  check(rest.includes('Options :') && rest.some((l) => l.startsWith('  -h, --help ')),
    `${name} --help lists its options: ${h.stdout}`);
  eq(h.stderr, '', `${name} --help: nothing on stderr`);

  // The options of the usage line and the options listed are the same.
  const listed = rest.slice(rest.indexOf('Options :') + 1)
    .map((l) => (l.match(/^ {2}(--[a-z][a-z-]*)/) || [])[1]).filter(Boolean);
  eq([...new Set(optionsOf(usage))].sort(), listed.sort(),
    `${name}: the usage line and the option list agree`);

  const short = run([...words, '-h']);
  eq([short.status, short.stdout], [0, h.stdout], `${name} -h is --help`);
  const viaHelp = run(['help', ...words]);
  eq([viaHelp.status, viaHelp.stdout], [0, h.stdout], `help ${name} is ${name} --help`);

  const bad = run([...words, '--no-such-option']);
  eq(bad.status, 2, `${name} --no-such-option exits 2`);
  check(/unrecognized option '--no-such-option'/.test(bad.stderr) &&
    bad.stderr.includes(`usage : scrutin ${name}`),
  `${name} --no-such-option: the error and the usage line (${bad.stderr.trim()})`);
  eq(bad.stdout, '', `${name} --no-such-option: nothing on stdout`);
}
eq(fs.readdirSync(data), [], 'no command ran: the data directory is untouched');

// Out of range, or a missing operand: a usage error, exit 2.
for (const args of [['serve', '--threads', '1'], ['serve', '--timeout-ms', '999'],
  ['meeting', 'create', '--id', 'x', '--title', 'T', '--date', '2030-01-01',
    '--profile', 'p.yaml', '--trustees', '17'],
  ['meeting', 'scrutineer-link', 'x', '--host', 'localhost', '--index', '0'],
  ['roll', 'import', '--lang', 'de', 'f.csv'], ['roll', 'import'],
  ['question', 'second-round', 'x'], ['question', 'revote', 'x'], ['record', 'export', 'a', 'b']]) {
  const r = run(args);
  check(r.status === 2 && r.stderr.includes(`usage : scrutin ${args[0]}`),
    `${args.join(' ')}: usage error (${r.status}: ${r.stderr.trim()})`);
}
eq(fs.readdirSync(data), [], 'usage errors touch nothing');

// Unknown commands, as today.
const unknown = 'scrutin : commande inconnue (voir « scrutin help »)\n';
for (const args of [['nope'], ['roll'], ['roll', 'nope'], ['help', 'nope']]) {
  const r = run(args);
  eq([r.status, r.stderr], [2, unknown], `${args.join(' ')}: unknown command`);
}
const bare = run([]);
eq([bare.status, bare.stdout], [2, help.stdout], 'no command: the help, exit 2');
const version = run(['version']);
check(version.status === 0 && /^scrutin \d+\.\d+\.\d+\n$/.test(version.stdout), `version: ${version.stdout}`);

fs.rmSync(data, { recursive: true, force: true });
done('cli');

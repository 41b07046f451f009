#!/usr/bin/env node
// Synthetic policy library for the benchmarks: N clause files of a realistic
// shape (about 5 KB of YAML each) plus a district config that puts all of them
// in the manual and makes explicit choices for about 30% of them.
//
//   node bench/generate.mjs <folder> [--count N] [--seed S]
//
// writes <folder>/library/*.yaml and <folder>/district.yaml. Deterministic: the
// same N (and seed) always gives byte-identical files. Plain Node, no packages.
//
// Each policy has: a purpose paragraph using a revision choice ({{verb}}), a
// variable and the built-in {{board-name}}; a one-of alternatives group (two
// members with a list each); a numbered list with 3-6 optional items; an any-of
// group, one member using a multiple choice with three values ({{levels}});
// a few more paragraphs (the filler that sets the size); 5-15 cf entries, most
// pointing at other generated policies and a few at numbers that do not exist;
// and a legal section with a group and nested items.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  const pick = (xs) => xs[Math.floor(next() * xs.length)];
  const chance = (p) => next() < p;
  return { next, int, pick, chance };
}

const SERIES = [
  ['1000', 'Community Relations'],
  ['2000', 'Administration'],
  ['3000', 'Business and Non-Instructional Operations'],
  ['4000', 'Personnel'],
  ['5000', 'Students'],
  ['6000', 'Instruction'],
  ['7000', 'New Construction'],
  ['8000', 'Internal Board Operations'],
  ['9000', 'Bylaws of the Board'],
];

const CATEGORIES = ['Safety', 'Welfare', 'Conduct', 'Attendance', 'Finance', 'Facilities', 'Records', 'Curriculum', 'Governance', 'Health', 'Transportation', 'Technology'];

const TOPIC_WORDS = [
  'Attendance', 'Admission', 'Transportation', 'Records', 'Health', 'Safety', 'Conduct', 'Discipline', 'Grievances', 'Visitors',
  'Volunteers', 'Fundraising', 'Advertising', 'Technology', 'Privacy', 'Purchasing', 'Budget', 'Audits', 'Insurance', 'Facilities',
  'Wellness', 'Nutrition', 'Homework', 'Grading', 'Promotion', 'Retention', 'Graduation', 'Field Trips', 'Athletics', 'Clubs',
  'Evaluation', 'Leave', 'Recruitment', 'Training', 'Supervision', 'Harassment', 'Bullying', 'Equity', 'Accessibility', 'Communications',
  'Emergencies', 'Searches', 'Weapons', 'Tobacco', 'Alcohol', 'Inhalants', 'Vandalism', 'Trespass', 'Gangs', 'Threats',
];
const TOPIC_QUALIFIERS = ['Student', 'Staff', 'Board', 'District', 'Community', 'Parent', 'School', 'Public', 'Employee', 'Program'];

const SUBJECTS = [
  'The Superintendent', 'Each building principal', 'The Board', 'The district', 'School staff', 'The school nurse',
  'The business manager', 'Each teacher', 'The administration', 'The designee of the Superintendent', 'Parents and guardians',
];
const VERBS = ['shall ensure that', 'will review whether', 'shall document how', 'may determine when', 'will report on how', 'shall establish procedures by which', 'will make sure that'];
const OBJECTS = [
  'students receive timely notice of their rights', 'records are kept confidential as required by law',
  'the procedures are applied consistently in every school', 'complaints are investigated promptly and impartially',
  'staff members receive appropriate training each year', 'the public is informed of any material change',
  'expenditures remain within the amounts appropriated', 'parents/guardians are consulted before a decision is made',
  'accommodations are made for students with disabilities', 'emergency contacts are updated at the start of each school year',
  'the requirements of state and federal law are met', 'district property is protected and maintained',
  'reports are submitted to the State Department of Education', 'the plan is reviewed after every incident',
];
const TAILS = [
  'in accordance with applicable regulations', 'as soon as practicable', 'subject to the approval of the Board',
  'to the extent permitted by law', 'consistent with the collective bargaining agreement', 'at least once each school year',
  'in consultation with the appropriate agencies', 'unless an emergency requires otherwise',
];
const ITEM_STARTS = [
  'The observation and reporting of', 'Coordination with', 'Timely notification of', 'Maintenance of', 'Review of',
  'Training in', 'Assistance with', 'Documentation of', 'Protection of', 'Communication regarding', 'Prevention of', 'Support for',
];
const ITEM_ENDS = [
  'any unlawful act on school property', 'attendance records and related reports', 'parents/guardians and community partners',
  'student and staff safety at public activities', 'access to premises being protected', 'incidents involving district equipment',
  'at-risk students and their families', 'the district\'s emergency plans', 'confidential personnel information',
  'requests from outside agencies', 'the use of district facilities by community groups', 'accommodations under Section 504',
];
const STATUTE_TITLES = [
  'Duties of boards of education', 'Definitions', 'Suspension, removal and expulsion of students', 'Student records; confidentiality',
  'Policies on bullying behavior', 'School security and safety plans', 'Reports of suspected abuse or neglect', 'Contested cases; notice; record',
  'Attendance; truancy', 'Transportation of students', 'Employment of teachers', 'Public records; freedom of information',
];

const title = (s) => s.charAt(0).toUpperCase() + s.slice(1);
/** A YAML scalar: JSON strings are valid YAML double-quoted strings. */
const q = (s) => JSON.stringify(s);

function sentence(r) {
  return `${r.pick(SUBJECTS)} ${r.pick(VERBS)} ${r.pick(OBJECTS)}${r.chance(0.5) ? ` ${r.pick(TAILS)}` : ''}.`;
}
function paragraphText(r, min, max) {
  const n = r.int(min, max);
  const out = [];
  for (let i = 0; i < n; i++) out.push(sentence(r));
  return out.join(' ');
}
function itemText(r) {
  return `${r.pick(ITEM_STARTS)} ${r.pick(ITEM_ENDS)};`;
}

/** N distinct CT-style policy numbers, spread over the 1000-9000 series, sorted as printed. */
export function policyNumbers(count, seed = 1) {
  const r = prng(seed * 7919 + count);
  const seen = new Set();
  const out = [];
  while (out.length < count) {
    const [series] = r.pick(SERIES);
    const base = Number(series) + (r.chance(0.7) ? 100 + r.int(0, 99) : r.int(0, 999)); // 5142, 5131, 1110…
    let n = String(base);
    const shape = r.next();
    if (shape < 0.3) n += `.${r.int(1, 9)}`; // 5142.4
    else if (shape < 0.55) n += `.${r.int(1, 9)}${r.int(1, 9)}`; // 5145.12
    else if (shape < 0.65) n += `.${r.int(1, 9)}${r.int(1, 9)}${r.int(1, 9)}`; // 5131.612
    if (seen.has(n)) continue;
    seen.add(n);
    out.push(n);
  }
  return out;
}

function seriesOf(number) {
  const s = `${number[0]}000`;
  return SERIES.find(([n]) => n === s);
}

/** The YAML text of one policy, and what the config generator needs to know about it. */
function policyYaml(number, index, all, titles, r) {
  const [seriesNumber, seriesTitle] = seriesOf(number);
  const topic = `${r.pick(TOPIC_QUALIFIERS)} ${r.pick(TOPIC_WORDS)}`;
  const L = [];
  L.push(`# Synthetic policy ${number} (bench/generate.mjs).`);
  L.push('format: 1');
  L.push(`number: ${q(number)}`);
  L.push(`title: ${q(titles.get(number))}`);
  L.push('series:');
  L.push(`  number: ${q(seriesNumber)}`);
  L.push(`  title: ${q(seriesTitle)}`);
  L.push(`category: ${r.pick(CATEGORIES)}`);
  L.push('kind: policy');
  if (r.chance(0.4)) L.push(`status: ${r.pick(['required', 'recommended', 'optional'])}`);
  L.push('sample:');
  L.push('  publisher: Synthetic sample policy service');
  L.push(`  edition: "${r.int(2015, 2024)}"`);
  L.push('');

  // A variable (with a default, so a district edition needs no value) and two inline choices.
  const variable = r.pick(['contact-office', 'responsible-office', 'agency-name', 'coordinator-title']);
  const variableDefault = r.pick(['the central office', 'the office of the Superintendent', 'the local police department', 'the district coordinator']);
  L.push('variables:');
  L.push('  board-name:');
  L.push('    prompt: The board\'s name as used in the policy text');
  L.push('    default: Board of Education');
  L.push(`  ${variable}:`);
  L.push(`    prompt: ${q(`Who is responsible for ${topic.toLowerCase()} in the district?`)}`);
  L.push(`    default: ${q(variableDefault)}`);
  L.push('    sample: ____________');
  L.push('');
  const [struck, inserted] = r.pick([
    ['will', 'may'],
    ['shall', 'will'],
    ['must', 'should'],
  ]);
  L.push('choices:');
  L.push('  verb:');
  L.push(`    prompt: ${q(`Does the district act ("${struck}") or keep the option open ("${inserted}")?`)}`);
  L.push('    values:');
  L.push(`      ${struck}: ${struck}`);
  L.push(`      ${inserted}: ${inserted}`);
  L.push(`    revision: { struck: ${struck}, inserted: ${inserted} }`);
  L.push(`    default: ${inserted}`);
  L.push('  levels:');
  L.push('    prompt: Which schools does this apply to?');
  L.push('    values:');
  L.push('      high: high');
  L.push('      middle: middle');
  L.push('      elementary: elementary');
  L.push('    multiple: true');
  L.push('    default: [high, middle, elementary]');
  L.push('');

  L.push('body:');
  L.push('  - id: purpose');
  L.push(`    paragraph: ${q(`The {{board-name}} {{verb}} adopt procedures for ${topic.toLowerCase()}, administered by {{${variable}}}. ${paragraphText(r, 0, 1)}`.trimEnd())}`);
  L.push('');

  // One-of group: two members, a list each.
  const altA = r.int(2, 3);
  const altB = r.int(2, 3);
  L.push('  - id: goals');
  L.push('    alternatives: one-of');
  L.push('    prompt: Which statement of goals does the board adopt?');
  L.push('    default: short-goals');
  L.push('    members:');
  L.push('      - id: short-goals');
  L.push(`        prompt: ${altA} goals (bulleted list)`);
  L.push('        blocks:');
  L.push('          - id: short-goals-list');
  L.push('            list: bullet');
  L.push(`            lead-in: ${q(`The purposes of this policy on ${topic.toLowerCase()} are:`)}`);
  L.push('            items:');
  for (let i = 1; i <= altA; i++) {
    L.push(`              - id: short-goal-${i}`);
    L.push(`                text: ${q(`To ensure that ${r.pick(OBJECTS)}.`)}`);
  }
  L.push('      - id: shared-goals');
  L.push(`        prompt: ${altB} goals shared with partner agencies (numbered list)`);
  L.push('        blocks:');
  L.push('          - id: shared-goals-list');
  L.push('            list: "1."');
  L.push(`            lead-in: ${q('The {{board-name}} and {{' + variable + '}} share the following goals:')}`);
  L.push('            items:');
  for (let i = 1; i <= altB; i++) {
    L.push(`              - id: shared-goal-${i}`);
    L.push(`                text: ${q(`To make sure that ${r.pick(OBJECTS)};`)}`);
  }
  L.push('');

  // Numbered list: required items, then 3-6 optional ones.
  const required = r.int(2, 3);
  const optional = r.int(3, 6);
  const optionalIds = [];
  L.push('  - id: duties');
  L.push('    list: "1."');
  L.push('    lead-in: "Responsibilities include, but are not limited to:"');
  L.push('    items:');
  for (let i = 1; i <= required; i++) {
    L.push(`      - id: duty-${i}`);
    L.push(`        text: ${q(itemText(r))}`);
    if (r.chance(0.15)) {
      L.push('        items:');
      L.push(`          - id: duty-${i}-a`);
      L.push(`            text: ${q(itemText(r))}`);
      L.push(`          - id: duty-${i}-b`);
      L.push(`            text: ${q(itemText(r))}`);
    }
  }
  for (let i = 1; i <= optional; i++) {
    const id = `duty-optional-${i}`;
    optionalIds.push(id);
    L.push(`      - id: ${id}`);
    L.push(`        optional: ${r.chance(0.3) ? 'included' : 'excluded'}`);
    L.push(`        text: ${q(itemText(r))}`);
  }
  L.push('');

  // Filler paragraphs: this is what spreads the file sizes around 5 KB.
  const fillers = r.int(0, 2);
  for (let i = 1; i <= fillers; i++) {
    if (r.chance(0.25)) {
      L.push(`  - id: heading-${i}`);
      L.push(`    heading: ${q(title(r.pick(ITEM_ENDS).replace(/^the /, '')))}`);
      L.push('    level: 2');
    }
    L.push(`  - id: paragraph-${i}`);
    L.push(`    paragraph: ${q(paragraphText(r, 1, 2))}`);
  }
  L.push('');

  // Any-of group; the second member uses the multiple choice.
  L.push('  - id: arrangements');
  L.push('    alternatives: any-of');
  L.push('    prompt: Who sets the arrangements?');
  L.push('    default: regulations');
  L.push('    members:');
  L.push('      - id: regulations');
  L.push('        prompt: The Superintendent develops administrative regulations');
  L.push('        blocks:');
  L.push('          - id: regulations-text');
  L.push('            paragraph: "The Superintendent of Schools will develop administrative regulations as necessary to implement this policy."');
  L.push('      - id: cooperation');
  L.push('        prompt: The board works with partner agencies in named school levels');
  L.push('        blocks:');
  L.push('          - id: cooperation-text');
  L.push(`            paragraph: ${q(`The Board will work in cooperation with {{${variable}}} in its {{levels}} schools.`)}`);
  if (r.chance(0.3)) {
    L.push('      - id: annual-report');
    L.push('        prompt: An annual report to the board');
    L.push('        blocks:');
    L.push('          - id: annual-report-text');
    L.push(`            paragraph: ${q(`The Superintendent shall report to the Board each year on ${topic.toLowerCase()}.`)}`);
  }
  if (r.chance(0.3)) {
    L.push('');
    L.push('  - id: board-note');
    L.push('    note: "Districts may adapt the list of responsibilities to local practice."');
    L.push('    audience: board');
  }
  L.push('');

  // Cross-references: mostly other generated policies, a few missing numbers.
  const cfCount = r.int(5, 15);
  const cf = new Set();
  const cfLines = [];
  let guard = 0;
  while (cf.size < cfCount && guard++ < 1000) {
    let n;
    if (all.length > 1 && r.chance(0.85)) n = all[r.int(0, all.length - 1)];
    else n = `${r.int(1, 9)}${r.int(0, 9)}${r.int(0, 9)}${r.int(0, 9)}.${r.int(1, 9)}${r.int(0, 9)}${r.int(1, 9)}9`; // almost surely not generated
    if (n === number || cf.has(n)) continue;
    cf.add(n);
    cfLines.push(`  - { number: ${q(n)}, title: ${q(titles.get(n) ?? `${r.pick(TOPIC_QUALIFIERS)} ${r.pick(TOPIC_WORDS)}`)} }`);
  }
  L.push('cf:');
  L.push(...cfLines);
  L.push('');

  // Legal: a group with items (one nested), then loose entries.
  L.push('legal:');
  L.push('  - id: cgs');
  L.push('    group: Connecticut General Statutes');
  L.push('    items:');
  const statutes = r.int(2, 4);
  for (let i = 1; i <= statutes; i++) {
    L.push(`      - id: cgs-${i}`);
    L.push(`        text: ${q(`10-${r.int(1, 299)}${r.pick(['', 'a', 'b', 'c'])} ${r.pick(STATUTE_TITLES)}.`)}`);
    if (i === 1) {
      L.push('        items:');
      L.push(`          - id: cgs-${i}-amended`);
      L.push(`            text: ${q(`as amended by PA ${r.pick(['95', '98', '01', '07', '15', '19', '21'])}-${r.int(1, 250)}`)}`);
    }
  }
  if (r.chance(0.6)) {
    L.push('  - id: ferpa');
    L.push('    text: "Family Educational Rights and Privacy Act of 1974, 20 U.S.C. 1232g."');
  }
  L.push('  - id: usc');
  L.push(`    text: ${q(`${r.int(5, 42)} U.S.C. ${r.int(100, 9999)} ${r.pick(STATUTE_TITLES)}.`)}`);
  L.push('    items:');
  L.push('      - id: usc-sec');
  L.push(`        text: ${q(`Sec. ${r.int(1, 999)} (${r.pick(STATUTE_TITLES)})`)}`);
  L.push('');

  return { yaml: L.join('\n'), variable, struck, inserted, optionalIds };
}

function configYaml(lib, numbers, infos, r) {
  const L = [];
  L.push('# yaml-language-server: $schema=../../../schema/district.schema.json');
  L.push(`# Synthetic district config for ${numbers.length} generated policies (bench/generate.mjs).`);
  L.push('district:');
  L.push('  name: Benchford Public Schools');
  L.push('  board: Benchford Board of Education');
  L.push('  town: Benchford');
  L.push('  state: Connecticut');
  L.push('');
  L.push('libraries:');
  L.push(`  - path: ${lib}`);
  L.push('    include: all');
  L.push('');
  L.push('output:');
  L.push('  folder: out');
  L.push('  formats: [md, html]');
  L.push('');
  L.push('variables:');
  L.push('  agency-name: Benchford Police Department');
  L.push('');
  L.push('policies:');
  let listed = 0;
  for (const n of numbers) {
    if (!r.chance(0.3)) continue;
    listed++;
    const info = infos.get(n);
    const date = () => `${r.int(2010, 2024)}-${String(r.int(1, 12)).padStart(2, '0')}${r.chance(0.7) ? `-${String(r.int(1, 28)).padStart(2, '0')}` : ''}`;
    L.push(`  ${q(n)}:`);
    L.push('    alternatives:');
    L.push(`      goals: ${r.pick(['short-goals', 'shared-goals'])}`);
    L.push(`      arrangements: ${r.chance(0.5) ? '[regulations, cooperation]' : 'cooperation'}`);
    L.push('    options:');
    L.push(`      ${info.optionalIds[0]}: true`);
    for (const id of info.optionalIds.slice(1)) if (r.chance(0.5)) L.push(`      ${id}: ${r.chance(0.7)}`);
    L.push('    choices:');
    L.push(`      verb: ${r.chance(0.5) ? info.struck : info.inserted}`);
    L.push(`      levels: ${r.pick(['[high]', '[high, middle]', '[middle, elementary]', '[high, middle, elementary]'])}`);
    if (r.chance(0.6)) {
      L.push('    variables:');
      L.push(`      ${info.variable}: ${q(r.pick(['the Director of Operations', 'the Assistant Superintendent', 'the Benchford Police Department', 'the Office of Student Services']))}`);
    }
    L.push('    history:');
    L.push(`      - adopted: ${date()}`);
    if (r.chance(0.5)) L.push(`      - revised: ${date()}`);
    if (r.chance(0.3)) L.push(`      - reviewed: ${date()}`);
  }
  L.push('');
  return { yaml: L.join('\n'), listed };
}

/**
 * Generate the library and config into `folder`. Returns what was written.
 * Removes `folder`/library first, so a smaller N leaves no stale files behind.
 */
export function generate(folder, count, { seed = 1 } = {}) {
  const root = resolve(folder);
  const lib = join(root, 'library');
  rmSync(lib, { recursive: true, force: true });
  mkdirSync(lib, { recursive: true });
  const numbers = policyNumbers(count, seed);
  const r = prng(seed * 104729 + count);
  const titles = new Map();
  for (const n of numbers) titles.set(n, `${r.pick(TOPIC_QUALIFIERS)} ${r.pick(TOPIC_WORDS)}`);
  const infos = new Map();
  let bytes = 0;
  numbers.forEach((n, i) => {
    const p = policyYaml(n, i, numbers, titles, r);
    infos.set(n, p);
    writeFileSync(join(lib, `${n}.yaml`), p.yaml);
    bytes += Buffer.byteLength(p.yaml);
  });
  const config = configYaml('library', numbers, infos, r);
  writeFileSync(join(root, 'district.yaml'), config.yaml);
  return { folder: root, library: lib, config: join(root, 'district.yaml'), numbers, bytes, listed: config.listed };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    if (i < 0) return dflt;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const count = Number(opt('--count', '1000'));
  const seed = Number(opt('--seed', '1'));
  const folder = args[0];
  if (!folder || !Number.isInteger(count) || count < 1) {
    process.stderr.write('usage: node bench/generate.mjs <folder> [--count N] [--seed S]\n');
    process.exit(2);
  }
  const g = generate(folder, count, { seed });
  process.stdout.write(
    `${g.numbers.length} policies (${(g.bytes / 1024).toFixed(0)} KB, ${(g.bytes / g.numbers.length / 1024).toFixed(1)} KB each) in ${g.library}\n` +
      `config with explicit settings for ${g.listed} policies: ${g.config}\n`,
  );
}

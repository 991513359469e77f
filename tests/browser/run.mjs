// Real-browser journeys through the Pathways demo council, in headless Debian
// Chromium driven by playwright-core, with axe-core WCAG 2.2 A/AA checks and
// full-page screenshots (375 px and 1280 px wide) of every page a journey visits.
//
//   node tests/browser/run.mjs [journey-filter ...]
//
// Environment:
//   PATHWAYS_BIN  the pathways binary (default ../../target/debug/pathways from this file);
//                 this script never builds it.
//   CHROMIUM      the Chromium executable (default /usr/bin/chromium, Debian's package).
//
// Prints one line per journey ("ok - name" or "not ok - name: reason", details indented
// below) and, as its very last line, "N passed, M failed". Exits non-zero if any failed.
//
// Adding a journey: write `async function someJourneyName(t) { ... }` below and add it to
// JOURNEYS. Its printed name and its screenshot prefix come from the function's name.
// Within it, `await t.newPage()` gives a page in a fresh, isolated browser context (its own
// cookies), and `await t.check(page, 'page-name')` audits the page that is showing: axe
// WCAG A/AA checks and screenshots at both widths. Every path a page navigates to must be
// checked at least once in the journey, or the journey fails.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, mkdir, readdir, rm, writeFile, access } from 'node:fs/promises';
import { constants as fsConstants, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const artefactDir = path.join(repoRoot, 'test-artefacts', 'browser');
const pathwaysBin = process.env.PATHWAYS_BIN
  ? path.resolve(process.env.PATHWAYS_BIN)
  : path.resolve(here, '..', '..', 'target', 'debug', 'pathways');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const axeSource = (await import('axe-core')).default.source;
const axeVersion = createRequire(import.meta.url)('axe-core/package.json').version;

const PASSWORD = 'demo-password';
const WIDTHS = [375, 1280]; // the last one is left in place for the journey's next steps
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const ACTION_TIMEOUT_MS = 10_000;
const JOURNEY_TIMEOUT_MS = 60_000;
const SERVER_START_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------
// Journeys
// ---------------------------------------------------------------------------

async function signInAfterAWrongPassword(t) {
  const page = await t.newPage();
  await page.goto(t.url('/sign-in'));
  await t.check(page, 'sign-in');

  // The app answers a rejected sign-in with 422 Unprocessable Entity and the form again,
  // which is right for a failed form submission; Chromium logs every 4xx document response
  // as a console error. Only that one response on /sign-in is let through (and reported as
  // a "#" line); any other console error still fails the journey.
  t.expectConsoleError(
    { text: /^Failed to load resource: the server responded with a status of 422\b/, path: '/sign-in' },
    'a rejected sign-in is answered with 422 and the form again',
  );
  await page.fill('#email', 'pa.north1@demoshire.test');
  await page.fill('#password', 'not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  const text = await summary.innerText();
  t.assert(
    text.includes('Enter a correct email address and password'),
    `error summary should say "Enter a correct email address and password", says ${JSON.stringify(text)}`,
  );
  t.assert(new URL(page.url()).pathname === '/sign-in', `wrong password landed on ${page.url()}`);
  const title = await page.title();
  t.assert(
    title.startsWith('Error: '),
    `page title of the error page should start with "Error: ", is ${JSON.stringify(title)}`,
  );
  // GOV.UK error summaries take focus when the page loads, so that screen reader users
  // hear the problem first. (The module script that does it has run by the load event.)
  await page.waitForLoadState('load');
  t.assert(
    await summary.evaluate((el) => el === document.activeElement),
    'the error summary does not have focus after a failed sign-in',
  );
  await t.check(page, 'sign-in-errors');

  await signIn(t, page, 'pa.north1@demoshire.test');
  await t.check(page, 'caseload');
}

async function openAYoungPersonFromTheCaseload(t) {
  const page = await t.newPage();
  await signIn(t, page, 'pa.north1@demoshire.test');
  await t.check(page, 'caseload');
  const name = await openYoungPerson(t, page, 'first');
  await expectRecordPage(t, page, name, { auditTrail: false });
  await t.check(page, 'young-person');
}

async function anAuditorSeesWhoViewedARecord(t) {
  // A personal adviser opens a record...
  const adviser = await t.newPage();
  await signIn(t, adviser, 'pa.north1@demoshire.test');
  await t.check(adviser, 'caseload');
  const adviserName = await signedInName(adviser);
  // The last one on the caseload: not the record the journey above opens, so the view
  // found below is this journey's own.
  const name = await openYoungPerson(t, adviser, 'last');
  const recordPath = new URL(adviser.url()).pathname;
  await expectRecordPage(t, adviser, name, { auditTrail: false });
  await t.check(adviser, 'young-person');

  // ...and the auditor, in a separate session, sees that view in the record's audit trail.
  const auditor = await t.newPage();
  await signIn(t, auditor, 'auditor@demoshire.test');
  await t.check(auditor, 'auditor-team');
  await auditor.goto(t.url(recordPath));
  await expectRecordPage(t, auditor, name, { auditTrail: true });
  const rows = await auditor
    .locator('h2:has-text("Who has viewed and changed this record") + * tbody tr')
    .allInnerTexts();
  t.assert(
    rows.some((row) => row.includes(adviserName) && /view/i.test(row)),
    `audit trail has no view by ${adviserName}; rows: ${JSON.stringify(rows)}`,
  );
  await t.check(auditor, 'auditor-young-person');
}

async function signOut(t) {
  const page = await t.newPage();
  await signIn(t, page, 'pa.north1@demoshire.test');
  await t.check(page, 'caseload');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname !== '/caseload');
  const banner = page.getByText('You have signed out');
  t.assert(await banner.isVisible(), `no "You have signed out" message on ${page.url()}`);
  await t.check(page, 'signed-out');

  await page.goto(t.url('/caseload'));
  const landed = new URL(page.url()).pathname;
  t.assert(landed === '/sign-in', `after signing out, /caseload led to ${landed}, not /sign-in`);
  await page.locator('#email').waitFor();
  await t.check(page, 'caseload-when-signed-out');
}

async function findAYoungPerson(t) {
  const page = await t.newPage();
  await signIn(t, page, 'pa.north1@demoshire.test');
  await t.check(page, 'caseload');
  // Someone on the caseload, looked for by the first letters of their family name.
  const name = (await page.locator('a[href^="/young-people/"]').first().innerText()).trim();
  const family = name.split(' ').pop();
  await page.getByRole('link', { name: 'Find a young person' }).click();
  await page.waitForURL((url) => url.pathname === '/find');
  await t.check(page, 'find');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL((url) => url.pathname === '/find' && url.search.includes('search=1'));
  t.assert(await page.locator('.govuk-error-summary').isVisible(), 'no error summary for an empty search');
  t.assert((await page.title()).startsWith('Error: '), `title ${await page.title()} does not start with "Error: "`);
  await t.check(page, 'find-errors');
  await page.fill('#name', family.slice(0, 4).toLowerCase());
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL((url) => url.search.includes('name='));
  const result = page.getByRole('link', { name, exact: true });
  t.assert((await result.count()) > 0, `searching for "${family.slice(0, 4)}" did not find ${name}`);
  await t.check(page, 'find-results');
  await result.first().click();
  await page.waitForURL((url) => /^\/young-people\/\d+$/.test(url.pathname));
  await expectRecordPage(t, page, name, { auditTrail: false });
  await t.check(page, 'young-person');
}

async function allocateAWaitingYoungPerson(t) {
  const page = await t.newPage();
  await signIn(t, page, 'manager.north@demoshire.test');
  t.assert(new URL(page.url()).pathname === '/team', `a team manager landed on ${page.url()}`);
  await t.check(page, 'team');
  const allocate = page.locator('a[href$="/allocate"]').first();
  t.assert((await allocate.count()) > 0, 'nobody waiting to allocate on the team page');
  await allocate.click();
  await page.waitForURL((url) => url.pathname.endsWith('/allocate'));
  await t.check(page, 'allocate');
  // Save without a reason: the mistake is explained (the current allocation starts checked).
  const path = new URL(page.url()).pathname;
  t.expectConsoleError(
    { text: /^Failed to load resource: the server responded with a status of 422\b/, path },
    'a form with mistakes is answered with 422 and the form again',
  );
  await page.getByRole('button', { name: 'Save allocation' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  const summary = await page.locator('.govuk-error-summary').innerText();
  t.assert(summary.includes('Enter the reason for the allocation'), `error summary: ${summary}`);
  await t.check(page, 'allocate-errors');
  // Correct them and save.
  await page.locator('input[name="allocation"]').first().check();
  await page.fill('#reason', 'Caseload balance after a new starter');
  await page.getByRole('button', { name: 'Save allocation' }).click();
  await page.waitForURL((url) => url.search.includes('allocated=1'));
  t.assert(await page.getByText('Allocation saved').isVisible(), 'no "Allocation saved" banner');
  const history = await page.locator('table').allInnerTexts();
  t.assert(history.some((text) => text.includes('Caseload balance after a new starter')), 'the reason is not in the allocation history');
  await t.check(page, 'allocated');
}

async function anAdministratorManagesUsers(t) {
  const page = await t.newPage();
  await signIn(t, page, 'admin@demoshire.test');
  t.assert(new URL(page.url()).pathname === '/admin/users', `an administrator landed on ${page.url()}`);
  await t.check(page, 'users');
  await page.getByRole('link', { name: 'Add a user' }).click();
  await page.waitForURL((url) => url.pathname === '/admin/users/new');
  await t.check(page, 'add-user');
  t.expectConsoleError(
    { text: /^Failed to load resource: the server responded with a status of 422\b/, path: '/admin/users/new' },
    'a form with mistakes is answered with 422 and the form again',
  );
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  await t.check(page, 'add-user-errors');
  await page.fill('#display_name', 'Ann Other');
  await page.fill('#email', 'ann.other@demoshire.test');
  await page.fill('#password', 'a-long-first-password');
  await page.locator('#role').check();
  await page.locator('#team').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL((url) => url.pathname === '/admin/users' && url.search.includes('saved=1'));
  t.assert(await page.getByText('ann.other@demoshire.test').isVisible(), 'the new user is not listed');
  await t.check(page, 'users-saved');
}

async function editAYoungPersonWithAMistakeThenCorrectIt(t) {
  const page = await t.newPage();
  await signIn(t, page, 'pa.north1@demoshire.test');
  await t.check(page, 'caseload');
  await openYoungPerson(t, page, 'first');
  await t.check(page, 'young-person');
  await page.getByRole('link', { name: /^Change details/ }).click();
  await page.waitForURL((url) => url.pathname.endsWith('/edit'));
  await t.check(page, 'edit');
  const family = await page.inputValue('#family_name');
  // A mistake: the last name cleared and an impossible date of birth.
  await page.fill('#family_name', '');
  await page.fill('#dob-day', '31');
  await page.fill('#dob-month', '2');
  t.expectConsoleError(
    { text: /^Failed to load resource: the server responded with a status of 422\b/, path: new URL(page.url()).pathname },
    'a form with mistakes is answered with 422 and the form again',
  );
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  const summary = await page.locator('.govuk-error-summary').innerText();
  t.assert(summary.includes("Enter the young person's last name"), `error summary: ${summary}`);
  t.assert(summary.includes('Date of birth must be a real date'), `error summary: ${summary}`);
  t.assert((await page.inputValue('#dob-day')) === '31', 'the typed day was not kept');
  await t.check(page, 'edit-errors');
  // Following the summary's link puts the cursor in the field.
  await page.locator('.govuk-error-summary a[href="#family_name"]').click();
  t.assert(await page.locator('#family_name').evaluate((el) => el === document.activeElement), 'the error link does not focus the field');
  await page.fill('#family_name', family);
  await page.fill('#dob-day', '1');
  await page.fill('#preferred_name', 'Sunny');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL((url) => url.search.includes('saved=1'));
  t.assert(await page.getByText('Details saved').isVisible(), 'no "Details saved" banner');
  t.assert((await page.locator('h1').innerText()).startsWith('Sunny'), 'the preferred name is not shown first');
  await t.check(page, 'saved');
}

async function recordAVisit(t) {
  const page = await t.newPage();
  await signIn(t, page, 'pa.north1@demoshire.test');
  await t.check(page, 'caseload');
  await openYoungPerson(t, page, 'first');
  await t.check(page, 'young-person');
  await page.getByRole('link', { name: 'Record a contact' }).click();
  await page.waitForURL((url) => url.pathname.endsWith('/contacts/new'));
  await t.check(page, 'record-contact');
  await page.fill('#time', '09:15');
  await page.locator('#contact_type').check();
  await page.locator('#outcome').check();
  await page.locator('#seen_alone').check();
  await page.fill('#summary', 'Talked about starting college in January.');
  await page.locator('#statutory_visit').check();
  await page.getByRole('button', { name: 'Save contact' }).click();
  await page.waitForURL((url) => url.search.includes('contact=1'));
  t.assert(await page.getByText('Contact recorded').isVisible(), 'no "Contact recorded" banner');
  const rows = await page.locator('h2#contacts ~ div table').first().innerText();
  t.assert(rows.includes('Talked about starting college in January.'), `contacts table: ${rows}`);
  await t.check(page, 'contact-recorded');
}

async function recordAMoveThenWorkTheTaskList(t) {
  const page = await t.newPage();
  await signIn(t, page, 'pa.north1@demoshire.test');
  t.assert((await page.locator('table').first().innerText()).includes('Next due'), 'no "Next due" column');
  await t.check(page, 'caseload-due');
  await openYoungPerson(t, page, 'first');
  await t.check(page, 'young-person-due');
  await page.getByRole('link', { name: 'Record a move' }).click();
  await page.waitForURL((url) => url.pathname.endsWith('/accommodation/new'));
  await t.check(page, 'record-move');
  // A mistake: no date and nothing chosen.
  t.expectConsoleError(
    { text: /^Failed to load resource: the server responded with a status of 422\b/, path: new URL(page.url()).pathname },
    'a form with mistakes is answered with 422 and the form again',
  );
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  const summary = await page.locator('.govuk-error-summary').innerText();
  t.assert(summary.includes('Enter the date they moved in'), `error summary: ${summary}`);
  t.assert(summary.includes('Select the type of accommodation'), `error summary: ${summary}`);
  await t.check(page, 'record-move-errors');
  const moved = new Date(Date.now() - 2 * 24 * 3600 * 1000);
  await page.fill('#start-day', String(moved.getUTCDate()));
  await page.fill('#start-month', String(moved.getUTCMonth() + 1));
  await page.fill('#start-year', String(moved.getUTCFullYear()));
  await page.getByLabel('Supported lodgings', { exact: true }).check();
  await page.locator('#suitable').check();
  await page.locator('#arranged_by_council').check();
  await page.fill('#address', 'Hope Street');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL((url) => url.search.includes('moved=1'));
  t.assert(await page.getByText('Move recorded').isVisible(), 'no "Move recorded" banner');
  const stays = await page.locator('h2#accommodation ~ div table').first().innerText();
  t.assert(stays.includes('Supported lodgings: Hope Street'), `accommodation table: ${stays}`);
  await t.check(page, 'move-recorded');
  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.waitForURL((url) => url.pathname === '/tasks');
  t.assert(await page.getByRole('heading', { name: 'Overdue' }).isVisible(), 'no overdue list');
  await t.check(page, 'tasks');
  await page.getByRole('link', { name: 'Compliance' }).click();
  await page.waitForURL((url) => url.pathname === '/compliance');
  t.assert((await page.locator('table').first().innerText()).includes('Visits within timescale'), 'no visits measure');
  await t.check(page, 'compliance');
}

async function takeAPathwayPlanFromDraftToActive(t) {
  const pa = await t.newPage();
  await signIn(t, pa, 'pa.north1@demoshire.test');
  await t.check(pa, 'caseload');
  await openYoungPerson(t, pa, 'last');
  await t.check(pa, 'young-person');
  await pa.locator('h2#plans ~ form button').first().click();
  await pa.waitForURL((url) => /^\/plans\/\d+$/.test(url.pathname));
  const planPath = new URL(pa.url()).pathname;
  await t.check(pa, 'plan-draft');
  // Each of the nine sections, written as the young person and PA agree it.
  const sections = await pa.locator('a.govuk-task-list__link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  t.assert(sections.length === 9, `expected 9 sections, found ${sections.length}`);
  for (const [n, href] of sections.entries()) {
    await pa.goto(new URL(href, pa.url()).href);
    if (n === 0) await t.check(pa, 'plan-section');
    await pa.fill('#needs', `Needs agreed in section ${n + 1}.`);
    if (n === 0) {
      await pa.fill('#own_words', 'I want to start college in January.');
      await pa.fill('#action-1', 'Apply to college');
      await pa.fill('#owner-1', 'Young person, with their PA');
      const due = new Date(Date.now() + 30 * 24 * 3600 * 1000);
      await pa.fill('#due-1-day', String(due.getUTCDate()));
      await pa.fill('#due-1-month', String(due.getUTCMonth() + 1));
      await pa.fill('#due-1-year', String(due.getUTCFullYear()));
    }
    await pa.getByRole('button', { name: 'Save section' }).click();
    await pa.waitForURL((url) => url.pathname === planPath && url.search.includes('saved=1'));
  }
  await t.check(pa, 'plan-written');
  await pa.getByRole('button', { name: 'Submit for sign-off' }).click();
  await pa.waitForURL((url) => url.search.includes('submitted=1'));
  t.assert(await pa.getByText('Plan submitted for sign-off').isVisible(), 'no "submitted" banner');
  await t.check(pa, 'plan-submitted');
  // The team manager signs it off.
  const manager = await t.newPage();
  await signIn(t, manager, 'manager.north@demoshire.test');
  await t.check(manager, 'team');
  await manager.goto(new URL(planPath, manager.url()).href);
  await manager.getByLabel('Sign off the plan').check();
  await t.check(manager, 'plan-to-sign-off');
  await manager.getByRole('button', { name: 'Save decision' }).click();
  await manager.waitForURL((url) => url.search.includes('decided=1'));
  // The PA records the young person's agreement, which makes it active.
  await pa.goto(new URL(planPath, pa.url()).href);
  await pa.getByRole('link', { name: "Record the young person's agreement" }).click();
  await pa.waitForURL((url) => url.pathname.endsWith('/agreement'));
  await t.check(pa, 'plan-agreement');
  const today = new Date();
  await pa.fill('#agreed-day', String(today.getUTCDate()));
  await pa.fill('#agreed-month', String(today.getUTCMonth() + 1));
  await pa.fill('#agreed-year', String(today.getUTCFullYear()));
  await pa.getByLabel('Signed in person').check();
  await pa.getByRole('button', { name: 'Save agreement' }).click();
  await pa.waitForURL((url) => url.search.includes('agreed=1'));
  t.assert(await pa.getByText('this is now the active plan').isVisible(), 'no "active plan" banner');
  const status = await pa.locator('.govuk-summary-list').first().innerText();
  t.assert(status.includes('Active'), `plan status: ${status}`);
  await t.check(pa, 'plan-active');
}

// This year's Header table of a small return: child 1002's sex and child 1003's ethnicity
// are not SSDA903 codes.
const HEADER_WITH_ERRORS = [
  'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB',
  '1001,M,01/01/2010,WBRI,,,',
  '1002,Z,01/01/2010,WBRI,,,',
  '1003,F,01/01/2010,XXXX,,,',
  '',
].join('\n');

function csvFile(name, text) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text) };
}

async function aPerformanceOfficerChecksAnSsda903Return(t) {
  const page = await t.newPage();
  await signIn(t, page, 'performance@demoshire.test');
  await t.check(page, 'team');
  await page.getByRole('link', { name: 'SSDA903 return' }).click();
  await page.waitForURL((url) => url.pathname === '/returns/ssda903');
  await t.check(page, 'ssda903-form');
  // A file that is not a return: named in the error summary, with its line.
  t.expectConsoleError(
    { text: /^Failed to load resource: the server responded with a status of 422\b/, path: '/returns/ssda903' },
    'a form with mistakes is answered with 422 and the form again',
  );
  await page.setInputFiles('#this_year', [csvFile('notes.csv', 'NAME,AGE\nSam,17\n')]);
  await page.fill('#local_authority', 'E09000027');
  await page.getByRole('button', { name: 'Check the return' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  const problem = await summary.innerText();
  t.assert(problem.includes('notes.csv:1: the header row'), `error summary: ${problem}`);
  t.assert((await page.title()).startsWith('Error: '), `title ${await page.title()} does not start with "Error: "`);
  t.assert((await page.inputValue('#local_authority')) === 'E09000027', 'the ONS code typed was not kept');
  t.assert(await page.getByText('choose the files again').isVisible(), 'not asked to choose the files again');
  await t.check(page, 'ssda903-errors');
  // The return itself, this year's and last year's.
  await page.setInputFiles('#this_year', [csvFile('header.csv', HEADER_WITH_ERRORS)]);
  await page.setInputFiles('#last_year', [csvFile('header-last-year.csv', HEADER_WITH_ERRORS)]);
  await page.getByRole('button', { name: 'Check the return' }).click();
  await page.getByRole('heading', { level: 1, name: 'SSDA903 validation report' }).waitFor();
  const heading = page.locator('#rule-101');
  t.assert(await heading.isVisible(), 'no section for rule 101');
  t.assert(
    (await heading.innerText()).includes('sex is not valid'),
    `rule 101 heading: ${await heading.innerText()}`,
  );
  const rows = await page.locator('#rule-103 ~ div table').first().innerText();
  t.assert(rows.includes('line 4') && rows.includes('1003'), `rule 103 rows: ${rows}`);
  const files = await page.locator('table').first().innerText();
  t.assert(files.includes('header-last-year.csv') && files.includes('Last year'), `files read: ${files}`);
  await t.check(page, 'ssda903-report');
}

const JOURNEYS = [
  signInAfterAWrongPassword,
  openAYoungPersonFromTheCaseload,
  anAuditorSeesWhoViewedARecord,
  findAYoungPerson,
  editAYoungPersonWithAMistakeThenCorrectIt,
  recordAVisit,
  recordAMoveThenWorkTheTaskList,
  takeAPathwayPlanFromDraftToActive,
  allocateAWaitingYoungPerson,
  anAdministratorManagesUsers,
  aPerformanceOfficerChecksAnSsda903Return,
  signOut,
];

// ---------------------------------------------------------------------------
// Steps shared by journeys
// ---------------------------------------------------------------------------

async function signIn(t, page, email) {
  if (new URL(page.url(), 'http://x/').pathname !== '/sign-in') {
    await page.goto(t.url('/sign-in'));
    await t.check(page, 'sign-in');
  }
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Each role lands on its own first page: caseload, team, or users.
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

async function signedInName(page) {
  // The header shows "Full Name (Role)".
  const text = (await page.locator('a[href="/account/password"]').first().innerText()).trim();
  return text.replace(/\s*\(.*\)$/, '');
}

// Clicks the first or last young person's link on the caseload; returns their name.
async function openYoungPerson(t, page, which) {
  const links = page.locator('a[href^="/young-people/"]');
  t.assert((await links.count()) > 0, `no young people's links on ${page.url()}`);
  const link = which === 'last' ? links.last() : links.first();
  const name = (await link.innerText()).trim();
  t.assert(name.length > 0, `the ${which} caseload link has no text`);
  await link.click();
  await page.waitForURL((url) => /^\/young-people\/[^/]+$/.test(url.pathname));
  return name;
}

async function expectRecordPage(t, page, name, { auditTrail }) {
  const h1 = (await page.locator('h1').innerText()).trim();
  t.assert(h1 === name, `record h1 is ${JSON.stringify(h1)}, expected ${JSON.stringify(name)}`);
  for (const section of ['Care history', 'Key documents', 'Risk flags', 'Allocation history']) {
    const heading = page.getByRole('heading', { name: section, exact: true });
    t.assert(await heading.isVisible(), `record page has no visible "${section}" heading`);
  }
  const trail = page.getByRole('heading', { name: 'Who has viewed and changed this record' });
  t.assert(
    (await trail.count()) === (auditTrail ? 1 : 0),
    auditTrail
      ? 'record page has no "Who has viewed and changed this record" section'
      : 'a personal adviser sees "Who has viewed and changed this record"',
  );
}

// ---------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------

class JourneyFailure extends Error {}

// signInAfterAWrongPassword -> sign-in-after-a-wrong-password
function slugOf(fn) {
  return fn.name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

// The page kind of a path, for the "every page visited was checked" rule.
function pathKind(pathname) {
  // Ids, and the sections of a pathway plan, are one kind of page each.
  return pathname.replace(/\/\d+(?=\/|$)/g, '/{id}').replace(/\/sections\/[a-z_]+$/, '/sections/{dimension}');
}

function formatViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${v.id} (${v.impact}): ${v.help} [${v.helpUrl}]`);
    for (const node of v.nodes) {
      lines.push(`    ${node.target.join(' ')}`);
    }
  }
  return lines;
}

async function settle(page) {
  // Two animation frames: lets layout and the GOV.UK components' media-query handlers
  // catch up with a viewport change.
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );
}

function makeJourneyContext(browser, baseUrl, slug, axeSummary) {
  const contexts = [];
  const problems = []; // console errors and page errors, across all this journey's pages
  const expectedErrors = []; // { text: RegExp, path: string, why: string }
  const notes = []; // expected console errors that did occur, printed as "#" lines
  const visited = new Map(); // path kind -> first URL seen
  const checked = new Set(); // page names already checked in this journey
  const checkedKinds = new Set();
  const axeFailures = [];

  const t = {
    url: (p) => new URL(p, baseUrl).href,

    assert(condition, message) {
      if (!condition) throw new JourneyFailure(message);
    },

    // Lets through a console error the journey knows the app causes on purpose, with the
    // reason; matched by message text and by the path of the URL it is reported for.
    expectConsoleError({ text, path: expectedPath }, why) {
      expectedErrors.push({ text, path: expectedPath, why });
    },

    async newPage() {
      // A fresh context per page: its own cookie jar, so two people can be signed in at once.
      // bypassCSP: the app's Content-Security-Policy forbids inline and injected script, and
      // axe has to be injected into the page. (A side effect: CSP violations are not reported
      // to the console here, so these journeys cannot catch them.)
      const context = await browser.newContext({
        bypassCSP: true,
        viewport: { width: WIDTHS[WIDTHS.length - 1], height: 800 },
      });
      contexts.push(context);
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
      const page = await context.newPage();
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const source = msg.location()?.url || page.url();
        const sourcePath = URL.canParse(source) ? new URL(source).pathname : source;
        const expected = expectedErrors.find(
          (e) => e.text.test(msg.text()) && e.path === sourcePath,
        );
        const line = `console error on ${page.url()}: ${msg.text()} (${source})`;
        if (expected) notes.push(`expected ${line}: ${expected.why}`);
        else problems.push(line);
      });
      page.on('pageerror', (err) => {
        problems.push(`page error on ${page.url()}: ${err.message}`);
      });
      page.on('framenavigated', (frame) => {
        if (frame !== page.mainFrame()) return;
        const url = new URL(frame.url());
        if (url.origin !== new URL(baseUrl).origin) return; // about:blank
        const kind = pathKind(url.pathname);
        if (!visited.has(kind)) visited.set(kind, url.href);
      });
      return page;
    },

    // Audits the page that is showing now: axe at each width, and a full-page screenshot
    // at each width. A page name is checked once per journey.
    async check(page, pageName) {
      if (checked.has(pageName)) return;
      checked.add(pageName);
      checkedKinds.add(pathKind(new URL(page.url()).pathname));
      await page.waitForLoadState('load');
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 800 });
        await settle(page);
        const injected = await page.evaluate(() => typeof window.axe === 'object');
        if (!injected) await page.evaluate(axeSource);
        const results = await page.evaluate(
          (tags) =>
            window.axe.run(document, {
              runOnly: { type: 'tag', values: tags },
              resultTypes: ['violations', 'incomplete'],
            }),
          AXE_TAGS,
        );
        axeSummary.push({
          journey: slug,
          page: pageName,
          width,
          url: page.url(),
          violations: results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
          })),
          needsReview: results.incomplete.map((v) => ({
            id: v.id,
            help: v.help,
            nodes: v.nodes.map((n) => n.target.join(' ')),
          })),
        });
        if (results.violations.length > 0) {
          axeFailures.push(
            `axe: ${results.violations.length} violation(s) on ${pageName} at ${width}px (${page.url()})`,
            ...formatViolations(results.violations).map((l) => `  ${l}`),
          );
        }
        await page.screenshot({
          path: path.join(artefactDir, `${slug}-${pageName}-${width}.png`),
          fullPage: true,
        });
      }
    },

    // What is wrong beyond the journey's own assertions; checked after the journey ends.
    findings() {
      const unchecked = [...visited].filter(([kind]) => !checkedKinds.has(kind));
      return [
        ...axeFailures,
        ...problems,
        ...unchecked.map(([, url]) => `visited ${url} but never ran t.check on it`),
      ];
    },

    notes: () => notes,

    async close() {
      await Promise.all(contexts.map((c) => c.close().catch(() => {})));
    },
  };
  return t;
}

async function runJourney(browser, baseUrl, fn, axeSummary) {
  const slug = slugOf(fn);
  const t = makeJourneyContext(browser, baseUrl, slug, axeSummary);
  let timer;
  const findings = [];
  try {
    await Promise.race([
      fn(t),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new JourneyFailure(`timed out after ${JOURNEY_TIMEOUT_MS / 1000} s`)),
          JOURNEY_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (err) {
    findings.push(err instanceof JourneyFailure ? err.message : (err?.stack ?? String(err)));
  } finally {
    clearTimeout(timer);
    await t.close();
  }
  findings.push(...t.findings());
  return { name: slug.replace(/-/g, ' '), findings, notes: t.notes() };
}

// Starts `pathways demo` on a fresh SQLite file and resolves with its base URL once it
// prints "Press Ctrl-C to stop.".
function startServer(dbFile) {
  const child = spawn(
    pathwaysBin,
    ['demo', '--db', dbFile, '--bind', '127.0.0.1:0', '--size', '200'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const ready = new Promise((resolve, reject) => {
    let url = null;
    const timer = setTimeout(() => {
      reject(new Error(`pathways demo did not start within ${SERVER_START_TIMEOUT_MS / 1000} s`));
    }, SERVER_START_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${pathwaysBin}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`pathways demo exited early (${signal ?? `code ${code}`}): ${stderr.trim()}`));
    });
    // Keeps reading stdout for the server's whole life, so that it never blocks on a full pipe.
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = line.match(/Open (http:\/\/[^\s]+)/);
      if (match) url = match[1];
      if (line.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        if (url) resolve(url);
        else reject(new Error('pathways demo said it was ready but printed no "Open http://..." line'));
      }
    });
  });
  return { child, ready };
}

async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), 5000);
  });
  const outcome = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

async function main() {
  const filters = process.argv.slice(2);
  const journeys = JOURNEYS.filter(
    (fn) => filters.length === 0 || filters.some((f) => slugOf(fn).includes(f)),
  );
  const started = Date.now();
  const results = [];
  const axeSummary = [];
  let server = null;
  let browser = null;
  const workDir = await mkdtemp(path.join(tmpdir(), 'pathways-browser-'));

  // Whatever happens, the server does not outlive this process, nor its temporary files.
  // (Playwright closes Chromium and removes its profile on these signals by itself.)
  const killServerNow = () => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    rmSync(workDir, { recursive: true, force: true });
  };
  process.on('exit', killServerNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      killServerNow();
      process.exit(130);
    });
  }

  try {
    await access(pathwaysBin, fsConstants.X_OK).catch(() => {
      throw new Error(
        `no pathways binary at ${pathwaysBin}: build it (cargo build) or set PATHWAYS_BIN`,
      );
    });
    await access(chromiumPath, fsConstants.X_OK).catch(() => {
      throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium, or set CHROMIUM`);
    });
    await mkdir(artefactDir, { recursive: true });
    for (const f of await readdir(artefactDir)) {
      if (f.endsWith('.png') || f.endsWith('.json')) await rm(path.join(artefactDir, f));
    }

    const s = startServer(path.join(workDir, 'demo.sqlite'));
    server = s.child;
    const [baseUrl, launched] = await Promise.all([
      s.ready,
      // playwright-core's launch() gives the browser a fresh, empty user data dir of its own
      // (a new temporary directory, removed on close); each journey page then gets its own
      // isolated context on top of that.
      chromium.launch({
        executablePath: chromiumPath,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-dev-shm-usage',
        ],
      }),
    ]);
    browser = launched;
    console.log(
      `# pathways demo at ${baseUrl}; Chromium ${browser.version()}; axe-core ${axeVersion}`,
    );

    for (const fn of journeys) {
      const result = await runJourney(browser, baseUrl, fn, axeSummary);
      results.push(result);
      for (const note of result.notes) console.log(`# ${result.name}: ${note}`);
      if (result.findings.length === 0) {
        console.log(`ok - ${result.name}`);
      } else {
        const [first, ...rest] = result.findings;
        console.log(`not ok - ${result.name}: ${first.split('\n')[0]}`);
        for (const line of [...first.split('\n').slice(1), ...rest.flatMap((f) => f.split('\n'))]) {
          console.log(`    ${line}`);
        }
      }
    }
  } catch (err) {
    console.log(`not ok - setup: ${err?.message ?? err}`);
    // Every journey that did not get to run counts as failed.
    for (const fn of journeys.slice(results.length)) {
      results.push({ name: slugOf(fn).replace(/-/g, ' '), findings: ['not run'] });
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stopServer(server).catch(() => {});
    await rm(workDir, { recursive: true, force: true }).catch(() => {});
  }

  if (axeSummary.length > 0) {
    await writeFile(path.join(artefactDir, 'axe-results.json'), JSON.stringify(axeSummary, null, 2));
  }
  const failed = results.filter((r) => r.findings.length > 0).length;
  const passed = results.length - failed;
  const took = `# took ${((Date.now() - started) / 1000).toFixed(1)} s`;
  console.log(
    axeSummary.length > 0
      ? `${took}; screenshots and axe-results.json in test-artefacts/browser/`
      : took,
  );
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || results.length === 0 ? 1 : 0;
}

await main();

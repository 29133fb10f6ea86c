// Browser tests: the real `accompany` binary on a seeded temporary database, driven in
// Debian's Chromium. Prints one line per check and ends with "N passed, N failed".
// Environment: ACCOMPANY_BINARY (required), WEB_ROOT (default web/dist),
// SCREENSHOT_DIR (default build/screenshots).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Checker, launchBrowser } from "./browser.mjs";

const binary = process.env.ACCOMPANY_BINARY;
if (!binary) {
  console.error("set ACCOMPANY_BINARY to the accompany executable");
  process.exit(2);
}
const webRoot = resolve(process.env.WEB_ROOT || "web/dist");
const checker = new Checker(resolve(process.env.SCREENSHOT_DIR || "build/screenshots"));
const work = mkdtempSync(join(tmpdir(), "accompany-browser-"));
const db = join(work, "accompany.db");
const PASSWORD = "browser-test-password";

function accompany(args, input) {
  return execFileSync(binary, ["--db", db, ...args], { input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

function seed() {
  accompany(["init"]);
  accompany(["synth", "--children", "300", "--seed", "11", "--out", join(work, "feeds")]);
  for (const file of readdirSync(join(work, "feeds"))) {
    if (file === "truth.csv") continue;
    const kind = file.replace(/\.(csv|psv|jsonl)$/, "");
    accompany(["import", "--kind", kind, join(work, "feeds", file)]);
  }
  accompany(["triage"]);  // opens the tasks the worklist shows
  accompany(["user", "add", "--role", "supervisor", "ana"], PASSWORD + "\n");
  accompany(["user", "add", "--role", "administrator", "root.admin"], PASSWORD + "\n");
  accompany(["user", "add", "--role", "data_steward", "dora"], PASSWORD + "\n");
  accompany(["user", "add", "--role", "contact_center_agent", "luis.agent"], PASSWORD + "\n");
  // The PBX bridge's service account: its API token is the last line printed.
  pbxToken = accompany(["user", "add", "--role", "telephony", "--service", "pbx-bridge"]).trim().split("\n").pop();
}

let pbxToken = "";

async function postCti(base, event) {
  const response = await fetch(`${base}/api/cti/events`, {
    method: "POST",
    headers: { Authorization: `Bearer ${pbxToken}`, "Content-Type": "application/json" },
    body: JSON.stringify(event),
  });
  return { status: response.status, body: await response.json() };
}

// The contact center: a simulated call rings, the agent sees the pop with the caller's history,
// records a contact linked to a child, the follow-up lands in the safety worklist and the
// wallboard counts it.
async function contactCenterScenario(browser, base, call, child) {
  const number = "+12025550199";
  await call("POST", "/api/contacts", {
    channel: "phone", caller_type: "sponsor", category: "hearing_question", sub_category: "date", language: "spa",
    narrative: "Asked for the hearing date", outcome: "gave the date", child_ids: [child.id], caller_number: number,
  });
  const agent = await browser.newPage();
  await logIn(agent, base, "luis.agent");
  await agent.getByRole("link", { name: "Agent desk" }).click();
  await agent.getByRole("heading", { name: "Agent desk" }).waitFor();
  await agent.getByText("Live", { exact: true }).waitFor();
  await agent.getByLabel("My state").selectOption("available");
  await checker.screen(agent, "desk-idle");

  const callId = `browser-${Date.now()}`;
  const sentAt = Date.now();
  const rang = await postCti(base, {
    event: "ringing", call_id: callId, timestamp: new Date(sentAt).toISOString(), caller_number: number,
    queue: "safety", agent: "luis.agent", language: "spa",
  });
  checker.check(rang.status === 201 && rang.body.popped, `the CTI webhook accepted the ringing event and popped (${rang.status})`);
  const popHeading = agent.getByRole("heading", { name: `Call from ${number} (safety queue)` });
  await popHeading.waitFor();
  checker.check(true, `the pop appeared ${Date.now() - sentAt} ms after the event was sent`);
  checker.check(await popHeading.evaluate((el) => el === document.activeElement), "the pop takes the focus");
  const name = [child.name.given_names, child.name.paternal_surname, child.name.maternal_surname].filter(Boolean).join(" ");
  checker.check(await agent.getByText("1 earlier contacts, 1 children").isVisible(), "the pop shows the caller's earlier contact and child");
  const retry = await postCti(base, {
    event: "ringing", call_id: callId, timestamp: new Date(sentAt).toISOString(), caller_number: number,
    queue: "safety", agent: "luis.agent", language: "spa",
  });
  checker.check(retry.status === 200 && retry.body.duplicate, "a retried event is acknowledged as a duplicate");
  await checker.screen(agent, "desk-pop");

  // Keyboard-first: link the child from the pop, then fill the intake form.
  await agent.getByRole("button", { name: /^Link / }).first().focus();
  await agent.keyboard.press("Enter");
  await agent.getByRole("status").filter({ hasText: "linked to the contact" }).waitFor();
  await agent.getByLabel("Caller", { exact: true }).selectOption("school");
  await agent.getByLabel("Category", { exact: true }).selectOption("exploitation_report");
  await agent.getByLabel("Sub-category").selectOption("labor");
  await agent.getByLabel("Where the child is now").fill("At the sponsor's house");
  await agent.getByLabel("What the caller said").fill("The school says the child works nights at a packing plant.");
  await agent.getByLabel("Outcome").fill("Referred to the safety team");
  await agent.getByRole("button", { name: "Record contact" }).focus();
  await agent.keyboard.press("Enter");
  const recorded = agent.getByRole("status").filter({ hasText: /Contact \d+ recorded\. Follow-ups: safety #\d+/ });
  await recorded.waitFor();
  const taskId = Number(/safety #(\d+)/.exec(await recorded.innerText())[1]);
  checker.check(taskId > 0, `recording the contact opened safety task ${taskId}`);
  await checker.screen(agent, "desk-recorded");
  await agent.getByLabel("Language", { exact: true }).selectOption("es");
  await agent.getByRole("heading", { name: "Escritorio del agente" }).waitFor();
  checker.check(await agent.getByRole("heading", { name: "Registrar el contacto" }).isVisible(), "the desk in Spanish");
  await checker.screen(agent, "desk-spanish");
  await agent.close();

  // The follow-up is in the safety worklist, for the supervisor.
  const supervisor = await browser.newPage();
  await logIn(supervisor, base, "ana");
  await supervisor.getByRole("link", { name: "Worklist" }).click();
  await supervisor.getByLabel("Queue", { exact: true }).selectOption("safety");
  const row = supervisor.locator(`tbody tr[data-task-id="${taskId}"]`);
  await row.waitFor();
  checker.check((await row.innerText()).includes("exploitation"), "the follow-up is in the safety worklist with its reason");

  // The wallboard counts the call and the contact.
  await supervisor.getByRole("link", { name: "Wallboard" }).click();
  await supervisor.getByRole("heading", { name: "Wallboard" }).waitFor();
  const exploitation = supervisor.locator('li[data-category="exploitation_report"]');
  await exploitation.waitFor();
  checker.check(/: 1$/.test((await exploitation.innerText()).trim()), "the wallboard counts the exploitation report");
  const waitingTile = supervisor.locator(".tile", { hasText: "Calls waiting" });
  checker.check((await waitingTile.locator("dd").innerText()).trim() === "1", "the wallboard shows the ringing call waiting");
  // Live: the call ends, the wallboard updates without a reload.
  await postCti(base, { event: "answered", call_id: callId, timestamp: new Date().toISOString(), agent: "luis.agent" });
  await supervisor.locator(".tile", { hasText: "Calls answered" }).locator("dd").filter({ hasText: /^1$/ }).waitFor();
  checker.check(true, "the wallboard updated live when the call was answered");
  await supervisor.getByLabel("Calls per hour").fill("200");
  await supervisor.getByLabel("Average handle time (seconds)").fill("180");
  await supervisor.getByRole("button", { name: "Calculate" }).click();
  await supervisor.getByRole("status").filter({ hasText: "agents on the phones" }).waitFor();
  await checker.screen(supervisor, "wallboard");
  await supervisor.close();
}

function startServer() {
  return new Promise((resolvePort, reject) => {
    const server = spawn(binary, ["--db", db, "serve", "--port", "0", "--threads", "2", "--web-root", webRoot], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    const onData = (chunk) => {
      log += chunk;
      const match = /on http:\/\/[^:]+:(\d+)/.exec(log);
      if (match) resolvePort({ server, port: Number(match[1]) });
    };
    server.stdout.on("data", onData);
    server.stderr.on("data", onData);
    server.on("exit", (code) => reject(new Error(`server exited (${code}): ${log}`)));
    setTimeout(() => reject(new Error(`server did not start: ${log}`)), 20000);
  });
}

// Signs in over HTTP (not the browser) to prepare data the scenario needs.
async function apiSession(base) {
  const response = await fetch(`${base}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "ana", password: PASSWORD }),
  });
  const session = await response.json();
  const cookie = response.headers.get("set-cookie").split(";")[0];
  const call = async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { Cookie: cookie, "X-CSRF-Token": session.csrf_token, "Content-Type": "application/json" },
      body: body && JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  return call;
}

async function logIn(page, base, name) {
  await page.goto(`${base}/#/login`);
  await page.getByLabel(/User name|Nombre de usuario/).fill(name);
  await page.getByLabel(/^Password$|^Contraseña$/).fill(PASSWORD);
  await page.keyboard.press("Enter");
}

async function main() {
  seed();
  const { server, port } = await startServer();
  const base = `http://127.0.0.1:${port}`;
  const browser = await launchBrowser();
  const timings = {};
  try {
    const call = await apiSession(base);
    const children = (await call("GET", "/api/children?limit=50")).items;
    const child = children.find((c) => c.a_number);
    // Give the child a long timeline: 50 entries in all, for the rendering measurement.
    const existing = ["custody-events", "notices", "hearings", "welfare-checks", "contacts", "tasks"];
    let entries = 0;
    for (const part of existing) entries += (await call("GET", `/api/children/${child.id}/${part}`)).items.length;
    for (let i = entries; i < 50; i++) {
      await call("POST", "/api/contacts", {
        channel: "phone", caller_type: "school", category: "welfare_concern", language: "spa",
        narrative: `Seguimiento ${i}`, outcome: "recorded", child_ids: [child.id],
      });
    }

    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByRole("heading", { name: "Log in to Accompany" }).waitFor();
    await checker.screen(page, "login");

    await logIn(page, base, "ana");
    await page.getByRole("heading", { name: "Look up a child" }).waitFor();
    checker.check(await page.getByText("Signed in as ana (supervisor)").isVisible(), "signed in as the supervisor");
    await checker.screen(page, "lookup");

    // Free-text search as a caller would say it: surname first, its last letter lost, keyboard only.
    const surname = child.name.paternal_surname;
    await page.getByLabel("Names, in any order").fill(`${surname.slice(0, -1)} ${child.name.given_names}`);
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "possible matches, best first" }).waitFor();
    const firstHit = page.locator("tbody tr").first();
    checker.check((await firstHit.innerText()).includes(child.name.given_names), "the misspelt search ranks the child first");
    checker.check((await firstHit.locator("li").count()) > 0, "the hit says why it matched");
    await checker.screen(page, "lookup-search");

    // Keyboard only: type the A-number and submit with Enter.
    await page.getByLabel("A-number").fill(child.a_number);
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "1 children found" }).waitFor();
    await checker.screen(page, "lookup-results");

    const started = Date.now();
    await page.getByRole("link", { name: new RegExp(child.name.given_names) }).click();
    await page.getByRole("heading", { name: /^Case of / }).waitFor();
    await page.locator("tbody tr").nth(49).waitFor();
    timings.caseViewMs = await page.evaluate(() => {
      const marks = performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/children/"));
      const last = Math.max(...marks.map((e) => e.responseEnd));
      return Math.round(performance.now() - Math.min(...marks.map((e) => e.startTime)) - (performance.now() - last) + (performance.now() - last));
    });
    timings.caseViewWallMs = Date.now() - started;
    const rows = await page.locator("tbody tr").count();
    checker.check(rows >= 50, `case timeline shows ${rows} entries (>= 50)`);
    checker.check(await page.getByRole("heading", { name: "What is missing" }).isVisible(), "case shows what is missing");
    await checker.screen(page, "case-timeline");

    await page.getByRole("tab", { name: "Addresses" }).click();
    await checker.screen(page, "case-addresses");
    await page.getByRole("tab", { name: "Access log" }).click();
    await page.getByRole("cell", { name: "ana" }).first().waitFor();
    checker.check(await page.getByRole("cell", { name: "ana" }).first().isVisible(), "access log lists ana's reads");
    await checker.screen(page, "case-access-log");

    await page.getByLabel("Language").selectOption("es");
    await page.getByRole("tab", { name: "Cronología" }).waitFor();
    checker.check(await page.getByRole("heading", { name: "Qué falta" }).isVisible(), "Spanish strings after switching");
    checker.check(await page.evaluate(() => document.documentElement.lang) === "es", "document language is es");
    await checker.screen(page, "case-spanish");
    await page.reload();
    await page.getByRole("heading", { name: /^Expediente de / }).waitFor();
    checker.check(true, "language remembered across reload");
    await page.getByLabel("Idioma").selectOption("en");

    // The worklist: a queue's open tasks, urgent first; resolving one records an outcome.
    const queues = ["safety", "welfare", "court", "legal_referral", "records"];
    let queue;
    for (const name of queues) {
      if ((await call("GET", `/api/tasks?queue=${name}&status=open&limit=1`)).items.length > 0) {
        queue = name;
        break;
      }
    }
    checker.check(queue !== undefined, `triage opened tasks (first queue with open tasks: ${queue})`);
    await page.getByRole("link", { name: "Worklist" }).click();
    await page.getByRole("heading", { name: "Worklist" }).waitFor();
    await page.getByLabel("Queue", { exact: true }).selectOption(queue);
    const taskRows = page.locator("tbody tr[data-task-id]");
    await taskRows.first().waitFor();
    const listed = await taskRows.count();
    checker.check(listed >= 1, `worklist (${queue}) shows ${listed} open tasks`);
    const expected = (await call("GET", `/api/tasks?queue=${queue}&status=open&limit=200`)).items;
    const shownIds = await taskRows.evaluateAll((rows) => rows.map((row) => Number(row.dataset.taskId)));
    checker.check(JSON.stringify(shownIds) === JSON.stringify(expected.map((task) => task.id)),
                  "worklist rows come in the API's order (priority, then due time)");
    checker.check(await taskRows.first().getByRole("link", { name: /^Case \d+$/ }).isVisible(), "each row links to the child's case");
    await checker.screen(page, "worklist");
    if (expected[0].reason_es) {
      await page.getByLabel("Language").selectOption("es");
      await page.getByRole("heading", { name: "Lista de trabajo" }).waitFor();
      const reasonCell = taskRows.first().locator("td").nth(1);
      checker.check((await reasonCell.innerText()).trim() === expected[0].reason_es, "in Spanish the row gives the Spanish reason");
      await page.getByLabel("Idioma").selectOption("en");
      await page.getByRole("heading", { name: "Worklist" }).waitFor();
    } else {
      checker.check(false, "triage tasks carry a Spanish reason");
    }

    const taskId = shownIds[0];
    await page.getByRole("button", { name: `Resolve task ${taskId}`, exact: true }).click();
    const outcomeField = page.getByLabel("Outcome");
    await outcomeField.waitFor();
    checker.check(await outcomeField.evaluate((el) => el === document.activeElement), "the outcome field takes the focus");
    await page.keyboard.type("Called the sponsor; the child is safe and enrolled in school");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");  // the submit button, reached by keyboard
    await page.getByRole("status").filter({ hasText: `Task ${taskId} resolved.` }).waitFor();
    await page.locator(`tbody tr[data-task-id="${taskId}"]`).waitFor({ state: "detached" });
    checker.check(true, `task ${taskId} left the worklist once resolved`);
    const childOfTask = expected[0].child_id;
    const closed = (await call("GET", `/api/children/${childOfTask}/tasks`)).items.find((task) => task.id === taskId);
    checker.check(closed?.close_reason === "Called the sponsor; the child is safe and enrolled in school",
                  "the outcome is recorded on the closed task");

    // Assigning: the supervisor gives the next task to herself; "My tasks" then lists it.
    const assignedId = Number(await taskRows.first().getAttribute("data-task-id"));
    await page.getByLabel(`Assign task ${assignedId} to`, { exact: true }).selectOption("ana");
    await page.locator(`tbody tr[data-task-id="${assignedId}"]`).getByRole("button", { name: "Assign", exact: true }).click();
    await page.getByRole("status").filter({ hasText: `Task ${assignedId} assigned to ana.` }).waitFor();
    checker.check((await call("GET", "/api/tasks?assignee=ana&status=open")).items.some((task) => task.id === assignedId),
                  `task ${assignedId} is assigned to ana on the server`);
    const mineExpected = (await call("GET", "/api/tasks?assignee=me&status=open&limit=200")).items.map((task) => task.id);
    await page.getByLabel("My tasks").check();
    // The queue's rows (this task among them) stay until "My tasks" has loaded: wait for the list itself.
    await page.waitForFunction(
      (expected) => JSON.stringify([...document.querySelectorAll("tbody tr[data-task-id]")].map((row) => Number(row.dataset.taskId))) === expected,
      JSON.stringify(mineExpected), { timeout: 10000 }).catch(() => {});
    const mine = await taskRows.evaluateAll((rows) => rows.map((row) => Number(row.dataset.taskId)));
    checker.check(mine.length >= 1 && JSON.stringify(mine) === JSON.stringify(mineExpected),
                  `"My tasks" shows exactly ana's open tasks (${mine.length})`);
    checker.check(await page.getByLabel("Queue", { exact: true }).count() === 0, "the queue selector hides while showing my tasks");
    await checker.screen(page, "my-tasks");
    // Unassigning from the same control takes it off "My tasks".
    await page.getByLabel(`Assign task ${assignedId} to`, { exact: true }).selectOption("");
    await page.locator(`tbody tr[data-task-id="${assignedId}"]`).getByRole("button", { name: "Assign", exact: true }).click();
    await page.getByRole("status").filter({ hasText: `Task ${assignedId} unassigned.` }).waitFor();
    await page.locator(`tbody tr[data-task-id="${assignedId}"]`).waitFor({ state: "detached" });
    checker.check(true, `task ${assignedId} left "My tasks" once unassigned`);

    // The oversight dashboard: charts per fiscal year, and the same numbers in a table.
    const report = await call("GET", "/api/reports/oversight?by=fiscal-year");
    await page.getByRole("link", { name: "Oversight" }).click();
    await page.getByRole("heading", { name: "Oversight by fiscal year" }).waitFor();
    const charts = page.getByRole("img");
    await charts.first().waitFor();
    checker.check(await charts.count() === 5, `oversight shows 5 charts (${await charts.count()})`);
    const tableRows = page.locator("table[aria-labelledby=oversight-table] tbody tr");
    const firstYear = report.years[0];
    checker.check(await tableRows.count() === report.years.length && report.years.length >= 1,
                  `the table has one row per fiscal year (${report.years.length})`);
    const firstCells = await tableRows.first().locator("th, td").allInnerTexts();
    checker.check(firstCells[0] === `FY${firstYear.fiscal_year}` &&
                  firstCells[1].replace(/,/g, "") === String(firstYear.released),
                  `the table gives the API's numbers (${firstCells.slice(0, 2).join(" ")})`);
    const releasedTotal = report.years.reduce((sum, y) => sum + y.released, 0);
    checker.check(releasedTotal >= 200, `the report counts released children (${releasedTotal} of 300 synthetic)`);
    await checker.screen(page, "oversight");
    await page.getByLabel("Language").selectOption("es");
    await page.getByRole("heading", { name: "Supervisión por año fiscal" }).waitFor();
    checker.check(await page.getByRole("img", { name: /Entregados, y de ellos/ }).isVisible(), "chart titles in Spanish");
    await checker.screen(page, "oversight-spanish");
    await page.getByLabel("Idioma").selectOption("en");
    await page.getByRole("heading", { name: "Oversight by fiscal year" }).waitFor();
    await contactCenterScenario(browser, base, call, child);

    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("heading", { name: "Log in to Accompany" }).waitFor();
    checker.check(true, "logged out returns to the login screen");

    // The review queue: two records entered for one child (no A-number yet); `link --full` queues
    // the pair, since two child records are never merged without a data steward.
    for (let i = 0; i < 2; i++) {
      await call("POST", "/api/children", {
        given_names: "Xiomara Belén", paternal_surname: "Quetzal", maternal_surname: "Ixcoy",
        birth_date: "2011-05-09", sex: "female", country_of_birth: "GT", languages: ["spa"],
      });
    }
    accompany(["link", "--full"]);
    await logIn(page, base, "dora");
    await page.getByRole("link", { name: "Review queue" }).click();
    await page.getByRole("heading", { name: "Record-linkage review queue" }).waitFor();
    const pair = page.locator("article[data-review-id]").filter({ hasText: "QUETZAL" }).or(
      page.locator("article[data-review-id]").filter({ hasText: "Quetzal" })).first();
    await pair.waitFor();
    const reviewId = await pair.getAttribute("data-review-id");
    checker.check((await pair.locator("tbody tr").count()) > 8, "the pair is shown side by side with the score per field");
    await checker.screen(page, "review-queue");
    await page.getByRole("button", { name: `Pair ${reviewId}: same child`, exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: `Pair ${reviewId}: Same child.` }).waitFor();
    const merged = (await call("GET", "/api/children?given_names=Xiomara%20Bel%C3%A9n")).items.length;
    checker.check(merged === 2, "accepting merges the records' history; both child rows are kept for an unmerge");
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("heading", { name: "Log in to Accompany" }).waitFor();

    // An administrator cannot read case content: the denial is a message, not a blank screen.
    await logIn(page, base, "root.admin");
    await page.getByRole("link", { name: "Users and roles" }).waitFor();
    await page.goto(`${base}/#/children/${child.id}`);
    const alert = page.getByRole("alert");
    await alert.waitFor();
    checker.check(/permission/i.test(await alert.innerText()), `administrator sees a permission message: ${await alert.innerText()}`);
    await checker.screen(page, "case-denied");
    await page.goto(`${base}/#/admin/users`);
    await page.getByRole("cell", { name: "root.admin" }).waitFor();
    await checker.screen(page, "admin-users");

    // Wrong password: a message on the login screen.
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("User name").fill("ana");
    await page.getByLabel("Password").fill("wrong-password");
    await page.keyboard.press("Enter");
    await page.getByRole("alert").waitFor();
    checker.check(/Log in failed/.test(await page.getByRole("alert").innerText()), "a failed login says so");
  } finally {
    await browser.close();
    server.kill("SIGTERM");
  }
  writeFileSync(join(checker.screenshotDir, "report.json"),
                JSON.stringify({ screenshots: checker.screenshots, axe: checker.axeReport, timings }, null, 2));
  console.log(`case view with 50 timeline entries: ${timings.caseViewWallMs} ms from click to last row`);
}

main()
  .catch((error) => {
    checker.check(false, `scenario stopped: ${error.stack || error}`);
  })
  .finally(() => {
    rmSync(work, { recursive: true, force: true });
    console.log(`${checker.passed} passed, ${checker.failed} failed`);
    process.exit(checker.failed === 0 ? 0 : 1);
  });

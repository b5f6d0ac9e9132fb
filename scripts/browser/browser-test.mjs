// Browser test: JupyterLab on localhost + headless Debian chromium (driven by
// playwright-core) opens notebooks/00_getting_started.ipynb, saves it and
// asserts the file is unchanged (BROWSER_SAVE_ONLY=1 stops there), then runs
// all cells through the GoNB kernel and plays with it as a student would:
//   - the widget: the "Play" cell's slider (kernelext.Slider) is moved with the
//     keyboard; the view under it must redraw for the new setting (its line
//     names the new n, and parameters = n × the cost per fact), and pressing
//     Done must end the cell with that setting's view as its output;
//   - the exercise: the check cell of Exercise 1 must say "not answered yet"
//     after the run; the answer cell gets the right answer, both cells run
//     again, and the check must say "right";
//   - the page shows the figure (an <svg> in a cell output) and no error output;
//   - then notebook 02's κ/β explorer (a menu and a slider, kernelext.Interact):
//     the slider and the menu must each redraw the view, Done must keep it
//     (BROWSER_NB2= skips it; see driveAnisotropy); GoNB's first widget
//     socket there is refused on purpose, so kernelext's retry must connect.
// Screenshots and logs (JupyterLab, chromium, the page's console) go to
// out/browser/. Run through `make browser-test` (which sets PATH and the
// JUPYTER_* folders); exit status 0 = pass. BROWSER_TIMEOUT_S (default 600)
// bounds each wait; a crashed page fails at once instead of waiting.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const nbRel = process.env.BROWSER_NB || 'notebooks/00_getting_started.ipynb';
const nbPath = path.join(repo, nbRel);
const outDir = path.join(repo, 'out', 'browser');
// Debian's /usr/bin/chromium is a wrapper that adds flags from /etc/chromium.d
// (GPU rasterization, extensions); the binary behind it takes only ours.
const chromiumPath = process.env.CHROMIUM || ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find(p => fs.existsSync(p)) || '/usr/bin/chromium';
const runTimeoutMs = Number(process.env.BROWSER_TIMEOUT_S || 600) * 1000;

function log(...a) { console.log('[browser-test]', ...a); }

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
    s.on('error', rej);
  });
}

async function waitHttp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not up yet */ }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`JupyterLab did not answer at ${url} within ${ms / 1000}s`);
}

// A promise that rejects when the page or the browser dies; every wait races it,
// so a crash fails the test at once with a pointer to the logs.
let die;
const died = new Promise((_, rej) => { die = rej; });
died.catch(() => {});
const guard = p => Promise.race([p, died]);
const secs = t => ((Date.now() - t) / 1000).toFixed(1) + 's';

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  // Chromium's own output (crash reasons) goes to out/browser/chromium.log: Playwright's debug
  // log reads these variables when it loads, so it is imported after they are set.
  process.env.DEBUG = process.env.DEBUG || 'pw:browser';
  process.env.DEBUG_FILE = process.env.DEBUG_FILE || path.join(outDir, 'chromium.log');
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(chromiumPath)) throw new Error(`no chromium at ${chromiumPath} (make browser-setup installs Debian's chromium)`);
  const tStart = Date.now();
  const original = fs.readFileSync(nbPath);
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const tmp = fs.mkdtempSync(path.join(outDir, 'lab-'));
  const settings = (plugin, value) => {
    const dir = path.join(tmp, 'settings', path.dirname(plugin));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, path.basename(plugin) + '.jupyterlab-settings'), JSON.stringify(value));
  };
  // No autosave, so the committed notebook is never rewritten; no news checks;
  // every cell in the DOM (no windowing), so a cell's index is its place on the page.
  settings('@jupyterlab/docmanager-extension/plugin', { autosave: false });
  settings('@jupyterlab/apputils-extension/notification', { fetchNews: 'false', checkForUpdates: false });
  settings('@jupyterlab/notebook-extension/tracker', { windowingMode: 'none' });
  const labLog = fs.openSync(path.join(outDir, 'jupyterlab.log'), 'w');
  const lab = spawn('jupyter', ['lab', '--no-browser', `--ServerApp.port=${port}`, '--ServerApp.ip=127.0.0.1',
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${repo}`, '--LabApp.expose_app_in_browser=True',
    `--LabApp.user_settings_dir=${path.join(tmp, 'settings')}`, `--LabApp.workspaces_dir=${path.join(tmp, 'ws')}`,
    '--ServerApp.open_browser=False', ...(process.getuid && process.getuid() === 0 ? ['--allow-root'] : [])],
    { cwd: repo, stdio: ['ignore', labLog, labLog], detached: true, env: { ...process.env, FACTMLP_SCALE: process.env.FACTMLP_SCALE || 'smoke',
      // The widgets are live here: the test moves the slider and presses Done.
      FACTMLP_HEADLESS: '0' } });
  let browser, page;
  let labExit = null;
  lab.on('exit', code => { labExit = code; });
  const consoleLog = fs.createWriteStream(path.join(outDir, 'console.log'));
  try {
    await Promise.race([waitHttp(`http://127.0.0.1:${port}/api/status?token=${token}`, 120000),
      new Promise((_, rej) => { const t = setInterval(() => { if (labExit !== null) { clearInterval(t); rej(new Error(`jupyter lab exited (${labExit}); see out/browser/jupyterlab.log`)); } }, 200); t.unref(); })]);
    log(`JupyterLab up on port ${port} after ${secs(tStart)}`);
    browser = await chromium.launch({
      executablePath: chromiumPath, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', '--disable-extensions'],
    });
    browser.on('disconnected', () => die(new Error('chromium disconnected; see out/browser/chromium.log')));
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(runTimeoutMs);
    page.on('crash', () => die(new Error('the page crashed (chromium renderer died); see out/browser/chromium.log and console.log')));
    page.on('console', m => consoleLog.write(`${m.type()} ${m.text()}\n`));
    page.on('pageerror', e => consoleLog.write(`pageerror ${e.message}\n`));
    const t0 = Date.now();
    await guard(page.goto(`http://127.0.0.1:${port}/lab/tree/${nbRel}?token=${token}&reset`));
    await guard(page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 120000 }));
    await guard(page.waitForFunction(() => window.jupyterapp && window.jupyterapp.shell.currentWidget &&
      window.jupyterapp.shell.currentWidget.sessionContext &&
      window.jupyterapp.shell.currentWidget.sessionContext.session &&
      window.jupyterapp.shell.currentWidget.sessionContext.session.kernel, null, { timeout: 120000 }));
    const kernelName = await page.evaluate(() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name);
    log(`notebook open with kernel "${kernelName}" after ${secs(t0)}`);
    if (kernelName !== 'gonb') throw new Error(`kernel is ${kernelName}, want gonb`);
    // Opening and saving a committed notebook must change nothing (it is committed in JupyterLab's
    // canonical form: scripts/canonical-notebooks.py). Save once the kernel's language_info is in.
    await guard(page.waitForFunction(() => {
      const li = window.jupyterapp.shell.currentWidget.content.model.getMetadata('language_info');
      return li && li.version;
    }, null, { timeout: 120000 }));
    await guard(page.evaluate(() => window.jupyterapp.shell.currentWidget.context.save()));
    const saved = fs.readFileSync(nbPath);
    if (!saved.equals(original)) {
      fs.writeFileSync(path.join(outDir, path.basename(nbRel, '.ipynb') + '.saved.ipynb'), saved);
      throw new Error(`opening and saving ${nbRel} in JupyterLab changed it (saved copy: out/browser/${path.basename(nbRel, '.ipynb')}.saved.ipynb); ` +
        'run .venv/bin/python scripts/canonical-notebooks.py and commit');
    }
    log(`open + save left ${nbRel} unchanged`);
    if (process.env.BROWSER_SAVE_ONLY === '1') return;

    // Cells by their source; with windowing off, cell i is the i-th .jp-Cell on the page.
    const cellIndex = needle => page.evaluate(n => {
      const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
      for (let i = 0; i < cells.length; i++) if (cells.get(i).sharedModel.getSource().includes(n)) return i;
      return -1;
    }, needle);
    const cell = i => page.locator('.jp-Notebook .jp-Cell').nth(i);
    const outputText = async i => (await cell(i).locator('.jp-OutputArea').innerText()).trim();
    const runCount = i => page.evaluate(i => window.jupyterapp.shell.currentWidget.content.model.cells.get(i).executionCount || 0, i);
    const play = await cellIndex('kernelext.Slider(');
    const answer = await cellIndex('var answer1 = kernelext.NoAnswer');
    if (play < 0 || answer < 0) throw new Error(`${nbRel} has no play cell (kernelext.Slider) or no Exercise 1 answer cell (var answer1 = kernelext.NoAnswer)`);

    const t1 = Date.now();
    await page.evaluate(() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); });
    // The widget: the play cell keeps running (and the cells after it wait) until Done.
    const reached = await guard(page.waitForFunction(i => {
      const w = window.jupyterapp.shell.currentWidget.content.widgets[i];
      if (w.node.querySelector('.jp-OutputArea input[type="range"]')) return 'slider';
      if (w.model.executionCount) return 'ended: ' + (w.node.querySelector('.jp-OutputArea') || w.node).innerText;
      return false;
    }, play, { polling: 250, timeout: runTimeoutMs }).then(h => h.jsonValue()));
    if (reached !== 'slider') throw new Error(`the play cell ended without a live slider: ${JSON.stringify(reached.slice(0, 400))}`);
    // The line the view writes for a setting: "n = 16 facts: 784 parameters, 49 per fact."
    const viewLine = /n = (\d+) facts: (\d+) parameters, (\d+) per fact/;
    await guard(page.waitForFunction(([i, re]) => new RegExp(re).test(window.jupyterapp.shell.currentWidget.content.widgets[i].node.innerText),
      [play, viewLine.source], { polling: 250, timeout: 60000 }));
    const readView = async () => {
      const m = viewLine.exec(await outputText(play));
      return m && { n: +m[1], params: +m[2], perFact: +m[3] };
    };
    const before = await readView();
    log(`cells up to the slider ran in ${secs(t1)}; the view shows n = ${before.n}: ${before.params} parameters`);
    await cell(play).screenshot({ path: path.join(outDir, 'widget-before.png') });
    const t2 = Date.now();
    const slider = cell(play).locator('input[type="range"]');
    await slider.focus();
    await page.keyboard.press('End'); // the largest size, as a student's keyboard would
    await guard(page.waitForFunction(([i, re, n]) => {
      const m = new RegExp(re).exec(window.jupyterapp.shell.currentWidget.content.widgets[i].node.innerText);
      return m && +m[1] !== n;
    }, [play, viewLine.source, before.n], { polling: 100, timeout: 60000 }));
    const after = await readView();
    const svgText = await cell(play).locator('.jp-OutputArea .factmlp-figure svg').first().evaluate(e => e.textContent);
    await cell(play).screenshot({ path: path.join(outDir, 'widget-after.png') });
    log(`slider moved to the end: the view redrew in ${secs(t2)} and shows n = ${after.n}: ${after.params} parameters`);
    if (!(after.n > before.n)) throw new Error(`the slider moved to its largest setting but the view shows n = ${after.n}, not more than ${before.n}`);
    if (after.perFact !== before.perFact || after.params !== after.n * after.perFact) {
      throw new Error(`the redrawn view is inconsistent: n = ${after.n}, ${after.params} parameters, ${after.perFact} per fact (before: ${JSON.stringify(before)})`);
    }
    if (!svgText.includes(`n = ${after.n} marked`)) throw new Error(`the redrawn figure does not mark n = ${after.n} (its text: ${JSON.stringify(svgText.slice(0, 200))})`);
    await cell(play).locator('button', { hasText: 'Done' }).click();
    await guard(page.waitForFunction(i => window.jupyterapp.shell.currentWidget.content.model.cells.get(i).executionCount, play, { polling: 250, timeout: 60000 }));
    const final = await readView();
    if (!final || final.n !== after.n) throw new Error(`after Done the play cell's output shows ${JSON.stringify(final)}, want the chosen n = ${after.n}`);
    if (await cell(play).locator('input[type="range"]').count()) throw new Error('after Done the slider is still in the output');
    log(`Done: the cell ended with the view of n = ${final.n}`);

    // Done when every code cell has an execution count and the kernel is idle.
    await guard(page.waitForFunction(() => {
      const nb = window.jupyterapp.shell.currentWidget;
      const k = nb.sessionContext.session && nb.sessionContext.session.kernel;
      if (!k || k.status !== 'idle') return false;
      const cells = nb.content.model.cells;
      for (let i = 0; i < cells.length; i++) {
        const c = cells.get(i);
        if (c.type === 'code' && !c.executionCount) return false;
      }
      return true;
    }, null, { polling: 500 }));
    log(`all cells ran in ${secs(t1)}`);
    const errors = await page.$$eval('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
      els => els.map(e => e.innerText.slice(0, 300)));
    const figure = await page.$('.jp-OutputArea-output .factmlp-figure svg');
    const shot = path.join(outDir, path.basename(nbRel, '.ipynb') + '.png');
    if (figure) {
      await figure.scrollIntoViewIfNeeded();
      await figure.screenshot({ path: path.join(outDir, 'figure.png') });
    }
    await page.screenshot({ path: shot });
    log(`screenshot: ${path.relative(repo, shot)}`);
    if (errors.length) throw new Error(`${errors.length} error/stderr output(s) in the page:\n  ${errors.join('\n  ')}`);
    if (!figure) throw new Error('no figure (<svg> in a .factmlp-figure cell output) on the page');
    const box = await figure.boundingBox();
    if (!box || box.width < 200 || box.height < 100) throw new Error(`figure rendered too small: ${JSON.stringify(box)}`);
    log(`figure rendered ${Math.round(box.width)}x${Math.round(box.height)} px, no error outputs`);

    // The exercise: unanswered after the run; then the student's answer, run with its check cell.
    const check = answer + 1;
    const unanswered = await outputText(check);
    if (!unanswered.includes('Exercise 1 — not answered yet')) throw new Error(`after the run the check cell says ${JSON.stringify(unanswered)}, want "Exercise 1 — not answered yet"`);
    const t3 = Date.now();
    const ran = await runCount(check);
    const right = 100 * (3 * 16 + 2); // 100 facts in d = 16, one neuron each: gate row, bias, down column
    await page.evaluate(([i, src]) => {
      const nb = window.jupyterapp.shell.currentWidget.content;
      nb.model.cells.get(i).sharedModel.setSource(src);
      for (const j of [i, i + 1]) { // the answer cell, then its check cell
        nb.activeCellIndex = j;
        nb.deselectAll();
        window.jupyterapp.commands.execute('notebook:run-cell');
      }
    }, [answer, `// Exercise 1: your answer.\nvar answer1 = ${right}.0`]);
    await guard(page.waitForFunction(([i, n]) => {
      const nb = window.jupyterapp.shell.currentWidget;
      return (nb.content.model.cells.get(i).executionCount || 0) > n && nb.sessionContext.session.kernel.status === 'idle';
    }, [check, ran], { polling: 250, timeout: 120000 }));
    const verdict = await outputText(check);
    await cell(check).screenshot({ path: path.join(outDir, 'exercise.png') });
    if (!verdict.includes('Exercise 1 — right')) throw new Error(`for the right answer ${right} the check cell says ${JSON.stringify(verdict)}`);
    log(`exercise answered (${right}) and checked in ${secs(t3)}: ${JSON.stringify(verdict)}`);
    if (process.env.BROWSER_NB2 !== '') await driveAnisotropy(page, process.env.BROWSER_NB2 || 'notebooks/02_construction.ipynb');
    log(`PASS in ${secs(tStart)}`);
  } catch (e) {
    if (page && !page.isClosed()) await page.screenshot({ path: path.join(outDir, 'failure.png'), timeout: 10000 }).catch(() => {});
    throw e;
  } finally {
    if (browser) await browser.close().catch(() => {});
    // Stop JupyterLab (it shuts its kernel down) and wait for it, so nothing is left
    // running and its CPU time counts in this process's (for /usr/bin/time).
    if (labExit === null) {
      const exited = new Promise(res => lab.once('exit', res));
      try { process.kill(-lab.pid, 'SIGTERM'); } catch { /* already gone */ }
      const killLater = setTimeout(() => { try { process.kill(-lab.pid, 'SIGKILL'); } catch { /* gone */ } }, 15000);
      await exited;
      clearTimeout(killLater);
    }
    // Never leave the committed notebook modified.
    if (!fs.readFileSync(nbPath).equals(original)) fs.writeFileSync(nbPath, original);
    fs.rmSync(tmp, { recursive: true, force: true });
    consoleLog.end();
  }
}

// The second widget: notebook 02's κ/β explorer (kernelext.Interact with a menu and a
// slider over cached sweeps). Run all cells; the slider starts at the largest κ; Home
// must redraw the view at the smallest κ with a larger ρ; the menu's second entry must
// switch the view to β; Done must end the cell with that view. The notebook is never saved.
async function driveAnisotropy(page, rel) {
  const t0 = Date.now();
  const original = fs.readFileSync(path.join(repo, rel));
  await guard(page.evaluate(r => { window.jupyterapp.commands.execute('docmanager:open', { path: r }); }, rel));
  await guard(page.waitForFunction(r => {
    const w = window.jupyterapp.shell.currentWidget;
    return w && w.context && w.context.path === r && w.sessionContext.session && w.sessionContext.session.kernel &&
      w.content.model.getMetadata('language_info');
  }, rel, { polling: 250, timeout: 120000 }));
  log(`${rel} open with its kernel after ${secs(t0)}`);
  const play = await page.evaluate(() => {
    const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
    for (let i = 0; i < cells.length; i++) if (cells.get(i).sharedModel.getSource().includes('kernelext.Interact(')) return i;
    return -1;
  });
  if (play < 0) throw new Error(`${rel} has no kernelext.Interact cell`);
  const cell = page.locator('.jp-NotebookPanel:visible .jp-Notebook .jp-Cell').nth(play);
  // GoNB gives the page 3 s to open the widgets' WebSocket; a page busy drawing can miss
  // that, and CI once did. Make the kernel's first try fail for certain (its socket goes
  // to a path the server refuses) so the run must go through kernelext's retry. GoNB's
  // socket is the one to /api/kernels/ID/channels without JupyterLab's ?session_id=.
  await page.evaluate(() => {
    const Real = window.WebSocket;
    window.gonbSockets = 0;
    const Wrapped = function (url, protocols) {
      if (/\/api\/kernels\/[^/?]+\/channels$/.test(String(url)) && ++window.gonbSockets === 1) url = String(url) + '-refused';
      return protocols === undefined ? new Real(url) : new Real(url, protocols);
    };
    Wrapped.prototype = Real.prototype;
    for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Wrapped[k] = Real[k];
    window.WebSocket = Wrapped;
  });
  await page.evaluate(() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); });
  const reached = await guard(page.waitForFunction(i => {
    const w = window.jupyterapp.shell.currentWidget.content.widgets[i];
    if (w.node.querySelector('.jp-OutputArea input[type="range"]') && w.node.querySelector('.jp-OutputArea select')) return 'widgets';
    if (w.model.executionCount) return 'ended: ' + (w.node.querySelector('.jp-OutputArea') || w.node).innerText;
    return false;
  }, play, { polling: 250, timeout: runTimeoutMs }).then(h => h.jsonValue()));
  if (reached !== 'widgets') throw new Error(`${rel}: the Interact cell ended without a live slider and menu: ${JSON.stringify(reached.slice(0, 400))}`);
  const sockets = await page.evaluate(() => window.gonbSockets);
  if (sockets < 2) throw new Error(`${rel}: GoNB opened ${sockets} widget socket(s); the refused first one should have forced a second`);
  log(`${rel}: widgets live after GoNB's first socket was refused (${sockets} sockets, ${secs(t0)})`);
  // The view's line: "κ = 100: ρ = 0.123; encdec stores 99.0 % of the facts ..."
  const line = /(κ|β) = ([\d.e+-]+): ρ = ([\d.]+)/;
  const readView = async () => {
    const m = line.exec(await cell.locator('.jp-OutputArea').innerText());
    return m && { symbol: m[1], x: +m[2], rho: +m[3] };
  };
  const waitView = pred => guard(page.waitForFunction(([i, re, pred]) => {
    const m = new RegExp(re).exec(window.jupyterapp.shell.currentWidget.content.widgets[i].node.innerText);
    return m && new Function('v', 'return ' + pred)({ symbol: m[1], x: +m[2], rho: +m[3] });
  }, [play, line.source, pred], { polling: 100, timeout: 60000 }));
  await waitView('true');
  const first = await readView();
  if (first.symbol !== 'κ') throw new Error(`${rel}: the explorer starts at ${JSON.stringify(first)}, want the conditioned family (κ)`);
  const slider = cell.locator('input[type="range"]');
  await slider.focus();
  await page.keyboard.press('Home');
  await waitView(`v.symbol === 'κ' && v.x !== ${first.x}`);
  const small = await readView();
  if (!(small.x < first.x && small.rho > first.rho)) {
    throw new Error(`${rel}: after Home the view shows κ = ${small.x}, ρ = ${small.rho}; want a smaller κ than ${first.x} with a larger ρ than ${first.rho}`);
  }
  log(`${rel}: slider to the smallest κ redrew the view: κ ${first.x} → ${small.x}, ρ ${first.rho} → ${small.rho}`);
  await cell.locator('select').selectOption({ index: 1 });
  await waitView(`v.symbol === 'β'`);
  const spiked = await readView();
  log(`${rel}: menu to the spiked family redrew the view: β = ${spiked.x}, ρ = ${spiked.rho}`);
  await cell.screenshot({ path: path.join(outDir, 'widget-02.png') });
  await cell.locator('button', { hasText: 'Done' }).click();
  await guard(page.waitForFunction(i => window.jupyterapp.shell.currentWidget.content.model.cells.get(i).executionCount, play, { polling: 250, timeout: 60000 }));
  const final = await readView();
  if (!final || final.symbol !== 'β' || final.x !== spiked.x) throw new Error(`${rel}: after Done the cell shows ${JSON.stringify(final)}, want the chosen β = ${spiked.x}`);
  if (await cell.locator('input[type="range"]').count()) throw new Error(`${rel}: after Done the slider is still in the output`);
  log(`${rel}: Done ended the cell with the view of β = ${final.x} (${secs(t0)} for this notebook)`);
  if (!fs.readFileSync(path.join(repo, rel)).equals(original)) throw new Error(`${rel} changed on disk while it ran (autosave is off)`);
}

main().then(() => process.exit(0), e => { console.error('[browser-test] FAIL:', e.message); process.exit(1); });

// Browser test: JupyterLab on localhost + headless Debian chromium (driven by
// playwright-core) opens notebooks/00_getting_started.ipynb, saves it and
// asserts the file is unchanged (BROWSER_SAVE_ONLY=1 stops there), runs all cells
// through the GoNB kernel, and asserts that the page shows the figure (an
// <svg> inside a cell output) and no error output. Screenshots go to
// out/browser/. Run through `make browser-test` (which sets PATH and the
// JUPYTER_* folders); exit status 0 = pass.
import { chromium } from 'playwright-core';
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
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
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

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  if (!fs.existsSync(chromiumPath)) throw new Error(`no chromium at ${chromiumPath} (make browser-setup installs Debian's chromium)`);
  const original = fs.readFileSync(nbPath);
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const tmp = fs.mkdtempSync(path.join(outDir, 'lab-'));
  // Settings: no autosave, so the committed notebook is never rewritten.
  const sdir = path.join(tmp, 'settings', '@jupyterlab', 'docmanager-extension');
  fs.mkdirSync(sdir, { recursive: true });
  fs.writeFileSync(path.join(sdir, 'plugin.jupyterlab-settings'), JSON.stringify({ autosave: false }));
  const ndir = path.join(tmp, 'settings', '@jupyterlab', 'apputils-extension');
  fs.mkdirSync(ndir, { recursive: true });
  fs.writeFileSync(path.join(ndir, 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false', checkForUpdates: false }));
  const labLog = fs.openSync(path.join(outDir, 'jupyterlab.log'), 'w');
  const lab = spawn('jupyter', ['lab', '--no-browser', `--ServerApp.port=${port}`, '--ServerApp.ip=127.0.0.1',
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${repo}`, '--LabApp.expose_app_in_browser=True',
    `--LabApp.user_settings_dir=${path.join(tmp, 'settings')}`, `--LabApp.workspaces_dir=${path.join(tmp, 'ws')}`,
    '--ServerApp.open_browser=False', ...(process.getuid && process.getuid() === 0 ? ['--allow-root'] : [])],
    { cwd: repo, stdio: ['ignore', labLog, labLog], detached: true, env: { ...process.env, FACTMLP_SCALE: process.env.FACTMLP_SCALE || 'smoke',
      // Interactive cells (kernelext.Slider) show their initial view instead of waiting for a student.
      FACTMLP_HEADLESS: process.env.FACTMLP_HEADLESS || '1' } });
  let browser;
  let labExit = null;
  lab.on('exit', code => { labExit = code; });
  try {
    await Promise.race([waitHttp(`http://127.0.0.1:${port}/api/status?token=${token}`, 120000),
      new Promise((_, rej) => { const t = setInterval(() => { if (labExit !== null) { clearInterval(t); rej(new Error(`jupyter lab exited (${labExit}); see out/browser/jupyterlab.log`)); } }, 200); t.unref(); })]);
    log(`JupyterLab up on port ${port}`);
    browser = await chromium.launch({
      executablePath: chromiumPath, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(runTimeoutMs);
    const t0 = Date.now();
    await page.goto(`http://127.0.0.1:${port}/lab/tree/${nbRel}?token=${token}&reset`);
    await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 120000 });
    await page.waitForFunction(() => window.jupyterapp && window.jupyterapp.shell.currentWidget &&
      window.jupyterapp.shell.currentWidget.sessionContext &&
      window.jupyterapp.shell.currentWidget.sessionContext.session &&
      window.jupyterapp.shell.currentWidget.sessionContext.session.kernel, null, { timeout: 120000 });
    const kernelName = await page.evaluate(() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name);
    log(`notebook open with kernel "${kernelName}" after ${((Date.now() - t0) / 1000).toFixed(1)}s; running all cells`);
    if (kernelName !== 'gonb') throw new Error(`kernel is ${kernelName}, want gonb`);
    // Opening and saving a committed notebook must change nothing (it is committed in JupyterLab's
    // canonical form: scripts/canonical-notebooks.py). Save once the kernel's language_info is in.
    await page.waitForFunction(() => {
      const li = window.jupyterapp.shell.currentWidget.content.model.getMetadata('language_info');
      return li && li.version;
    }, null, { timeout: 120000 });
    await page.evaluate(() => window.jupyterapp.shell.currentWidget.context.save());
    const saved = fs.readFileSync(nbPath);
    if (!saved.equals(original)) {
      fs.writeFileSync(path.join(outDir, path.basename(nbRel, '.ipynb') + '.saved.ipynb'), saved);
      throw new Error(`opening and saving ${nbRel} in JupyterLab changed it (saved copy: out/browser/${path.basename(nbRel, '.ipynb')}.saved.ipynb); ` +
        'run .venv/bin/python scripts/canonical-notebooks.py and commit');
    }
    log(`open + save left ${nbRel} unchanged`);
    if (process.env.BROWSER_SAVE_ONLY === '1') return;
    const t1 = Date.now();
    await page.evaluate(() => window.jupyterapp.commands.execute('notebook:run-all-cells'));
    // Done when every code cell has an execution count and the kernel is idle.
    await page.waitForFunction(() => {
      const nb = window.jupyterapp.shell.currentWidget;
      const k = nb.sessionContext.session && nb.sessionContext.session.kernel;
      if (!k || k.status !== 'idle') return false;
      const cells = nb.content.model.cells;
      for (let i = 0; i < cells.length; i++) {
        const c = cells.get(i);
        if (c.type === 'code' && !c.executionCount) return false;
      }
      return true;
    }, null, { polling: 1000 });
    log(`all cells ran in ${((Date.now() - t1) / 1000).toFixed(1)}s`);
    const errors = await page.$$eval('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
      els => els.map(e => e.innerText.slice(0, 300)));
    const figure = await page.$('.jp-OutputArea-output .factmlp-figure svg');
    const shot = path.join(outDir, path.basename(nbRel, '.ipynb') + '.png');
    if (figure) {
      await figure.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await figure.screenshot({ path: path.join(outDir, 'figure.png') });
    }
    await page.screenshot({ path: shot });
    log(`screenshot: ${path.relative(repo, shot)}`);
    if (errors.length) throw new Error(`${errors.length} error/stderr output(s) in the page:\n  ${errors.join('\n  ')}`);
    if (!figure) throw new Error('no figure (<svg> in a .factmlp-figure cell output) on the page');
    const box = await figure.boundingBox();
    if (!box || box.width < 200 || box.height < 100) throw new Error(`figure rendered too small: ${JSON.stringify(box)}`);
    log(`PASS: figure rendered ${Math.round(box.width)}x${Math.round(box.height)} px, no error outputs`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    try { process.kill(-lab.pid, 'SIGTERM'); } catch { /* already gone */ }
    // Never leave the committed notebook modified.
    if (!fs.readFileSync(nbPath).equals(original)) fs.writeFileSync(nbPath, original);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), e => { console.error('[browser-test] FAIL:', e.message); process.exit(1); });

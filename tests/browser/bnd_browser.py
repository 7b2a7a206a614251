"""What every browser test of the console shares: a headless Debian
chromium in Italian driven by Selenium, waiting with a screenshot on
timeout, reading text from the page, whole-page screenshots and axe-core.

A script calls setup(name, screens_dir, axe_js) once; every message it
prints then carries its name.
"""
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

_run = {'name': 'console', 'screens': '.local/console-screens', 'axe': None}
checked = []   # the screens axe-core has checked, in order


def setup(name, screens, axe_js):
    _run.update(name=name, screens=screens,
                axe=open(axe_js, encoding='utf-8').read() if axe_js else None)


def step(msg):
    print(f'-- {_run["name"]}: {msg}', flush=True)


def fail(msg):
    print(f'FAIL {_run["name"]}: {msg}', file=sys.stderr, flush=True)
    sys.exit(1)


def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = '/usr/bin/chromium'
    for a in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu',
              '--window-size=1280,1000', '--lang=it-IT', '--disable-extensions',
              '--no-first-run', '--force-prefers-reduced-motion', '--disable-background-networking',
              '--disable-sync', '--disable-component-update', '--disable-default-apps'):
        opts.add_argument(a)
    # In Italian, as the comuni's staff see it: dates dd/mm/yyyy, times 24 h.
    # Chromium on Linux takes its locale from LANGUAGE, not --lang (its
    # Italian strings come with the chromium-l10n package).
    env = dict(os.environ, LANGUAGE='it_IT', LANG='it_IT.UTF-8')
    return webdriver.Chrome(service=Service('/usr/bin/chromedriver', env=env), options=opts)


def text_of(drv, css):
    """The text of the elements css selects (read in the page: never stale)."""
    return drv.execute_script(
        'return [...document.querySelectorAll(arguments[0])].map(e => e.innerText).join("\\n");', css)


def wait_for(drv, cond, what, timeout=20):
    """cond's value once truthy; on timeout a screenshot, the page's
    messages and a failure."""
    try:
        return WebDriverWait(drv, timeout).until(cond)
    except TimeoutException:
        shot(drv, f'fallito-{len(checked):02d}')
        fail(f'timed out waiting for {what} (page: {drv.current_url}; '
             f'messages: {text_of(drv, "#messaggi")!r})')


def heading(drv, text):
    """Waits until the page's h1 reads text."""
    wait_for(drv, lambda d: text in text_of(d, 'h1'), f'the heading «{text}»')


def submit_login(drv, base, comune, login, password):
    """Opens Accedi at base and submits comune, user name and password."""
    drv.get(f'{base}/console/#/accedi')
    heading(drv, 'Accedi')
    for field, value in (('comune-id', comune), ('login', login), ('password', password)):
        el = drv.find_element(By.ID, field)
        el.clear()
        el.send_keys(value)
    drv.find_element(By.ID, 'accedi').click()


def api_get(drv, path):
    """GET path of the editors' API from the page, with its session cookie."""
    return drv.execute_async_script(
        'const done = arguments[arguments.length - 1];'
        'fetch(arguments[0], {credentials: "same-origin", cache: "no-store"})'
        '.then(r => r.json()).then(done).catch(e => done({error: String(e)}));', path)


def shot(drv, name):
    """The whole page as <screens>/<name>.png (the window stretched to its
    height, then back; not while a dialog is open); returns the path."""
    os.makedirs(_run['screens'], exist_ok=True)
    size = drv.get_window_size()
    height = drv.execute_script('return document.documentElement.scrollHeight;')
    if not drv.execute_script('return !!document.querySelector("dialog[open]");'):
        drv.set_window_size(size['width'], min(max(height + 140, size['height']), 4000))
    path = os.path.join(_run['screens'], f'{name}.png')
    drv.save_screenshot(path)
    drv.set_window_size(size['width'], size['height'])
    return path


def axe(drv, name):
    """axe-core on the page: no serious or critical violation (WCAG 2.1 AA
    and best practice); every violation is printed."""
    drv.execute_script(_run['axe'])
    res = drv.execute_async_script(
        'const done = arguments[arguments.length - 1];'
        'axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})'
        '.then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,'
        ' nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))'
        '.catch(e => done([{id: "axe-error", impact: "critical", help: String(e), nodes: []}]));')
    checked.append(name)
    for v in res:
        print(f'   axe {name}: {v["impact"]} {v["id"]}: {v["help"]} {v["nodes"]}', flush=True)
    bad = [v for v in res if v['impact'] in ('serious', 'critical')]
    if bad:
        fail(f'axe-core: {len(bad)} serious or critical violation(s) on {name}')


def screen(drv, name):
    """A screenshot and axe-core."""
    shot(drv, name)
    axe(drv, name)

#!/usr/bin/env python3
"""Versions and search in the editors' console, in headless chromium
(Selenium + chromium-driver), against the running stack:
tests/e2e/93b_console_versions.sh prepares the comune, the person and a
notice with three versions, then runs this.

1. The diff function (js/pages/diff.js), imported in the page and run on
   several cases: identical, empty, accented and emoji text, a change in
   the middle; each result must rebuild both texts.
2. Avvisi: a search with a state filter, kept in the address and across a
   reload; axe-core on the list.
3. The notice's page: "Confronta versioni" set to version 1 → version 3,
   the removed and inserted words in <del>/<ins> with the words screen
   readers say; axe-core; a screenshot, console-diff.png, in SCREENS_DIR.
"""
import json
import os
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bnd_browser import (axe, browser, fail, heading, shot, step, submit_login,  # noqa: E402
                         text_of, wait_for)
import bnd_browser  # noqa: E402

BASE = os.environ['CONSOLE_URL'].rstrip('/')
COMUNE = os.environ['CONSOLE_COMUNE']
EDITOR = (os.environ['EDITOR_LOGIN'], os.environ['EDITOR_PASSWORD'])
NOTICE_ID = os.environ['NOTICE_ID']
SCREENS = os.environ.get('SCREENS_DIR', '.local/console-screens-versions')
bnd_browser.setup('versions', SCREENS, os.environ['AXE_JS'])


def login(drv):
    submit_login(drv, BASE, COMUNE, EDITOR[0], EDITOR[1])
    heading(drv, 'Avvisi')


# (a, b, expected ops or None to check only that both texts rebuild)
CASES = [
    ('uguale, identico', 'uguale, identico', [['same', 'uguale, identico']]),
    ('', '', []),
    ('', 'tutto nuovo', [['ins', 'tutto nuovo']]),
    ('tutto via', '', [['del', 'tutto via']]),
    ('Via Roma chiusa oggi', 'Via Garibaldi aperta oggi',
     [['same', 'Via '], ['del', 'Roma chiusa'], ['ins', 'Garibaldi aperta'], ['same', ' oggi']]),
    ('Viabilità 🚧 a Sant’Anna', 'Viabilità 🚧🚧 a Sant’Anna e Città',
     [['same', 'Viabilità '], ['del', '🚧'], ['ins', '🚧🚧'], ['same', ' a Sant’Anna'], ['ins', ' e Città']]),
    ('riga uno\nriga due', 'riga uno\n\nriga tre', None),
    ('a b c d e f', 'f e d c b a', None),
]


def diff_cases(drv):
    """Runs diffWords in the page on every case."""
    got = drv.execute_async_script(
        'const done = arguments[arguments.length - 1];'
        'import("./js/pages/diff.js").then(m => done(arguments[0].map(([a, b]) => m.diffWords(a, b))))'
        '.catch(e => done({error: String(e)}));', [[a, b] for a, b, _ in CASES])
    if isinstance(got, dict):
        fail(f'diff.js did not load: {got}')
    for (a, b, want), ops in zip(CASES, got):
        old = ''.join(o['text'] for o in ops if o['op'] != 'ins')
        new = ''.join(o['text'] for o in ops if o['op'] != 'del')
        if old != a or new != b:
            fail(f'diff of {a!r} → {b!r} does not rebuild them: {ops}')
        if want is not None and [[o['op'], o['text']] for o in ops] != want:
            fail(f'diff of {a!r} → {b!r}: {json.dumps(ops, ensure_ascii=False)}, expected {want}')
    print(f'   ok  diffWords on {len(CASES)} cases (identical, empty, accents, emoji, lines)', flush=True)


def search(drv):
    """Avvisi: state + words, kept in the address and across a reload."""
    Select(drv.find_element(By.ID, 'filtro-stato')).select_by_value('draft')
    box = drv.find_element(By.ID, 'filtro-cerca')
    box.clear()
    box.send_keys('acqua garibaldi')
    drv.find_element(By.CSS_SELECTOR, '#filtro button[type="submit"]').click()
    wait_for(drv, lambda d: 'stato=draft' in d.current_url and 'q=acqua' in d.current_url, 'the search in the address')
    for when in ('after the search', 'after a reload'):
        wait_for(drv, lambda d: 'contengono' in text_of(d, '#risultati'), f'the results {when}')
        titles = text_of(drv, '#elenco-avvisi a').split('\n')
        if titles != ['Acqua sospesa in via Roma e piazza Garibaldi']:
            fail(f'search {when}: {titles}')
        if drv.find_element(By.ID, 'filtro-cerca').get_attribute('value') != 'acqua garibaldi' or \
                Select(drv.find_element(By.ID, 'filtro-stato')).first_selected_option.get_attribute('value') != 'draft':
            fail(f'the form does not show the filter {when}')
        print(f'   ok  search "acqua garibaldi" among drafts {when}', flush=True)
        if when == 'after the search':
            axe(drv, 'Avvisi with a search')
            drv.refresh()
            heading(drv, 'Avvisi')
    box = drv.find_element(By.ID, 'filtro-cerca')
    box.clear()
    box.send_keys('50%')
    drv.find_element(By.CSS_SELECTOR, '#filtro button[type="submit"]').click()
    wait_for(drv, lambda d: 'Sconto del 50% sulla TARI' in text_of(d, '#elenco-avvisi'), 'the search for 50%')
    if 'Serbatoio' in text_of(drv, '#elenco-avvisi'):
        fail('"50%" found "500 litri"')
    print('   ok  "50%" found literally', flush=True)


def marks(drv, css):
    """The changed texts (without the hidden words) under css, in order."""
    return drv.execute_script(
        'return [...document.querySelectorAll(arguments[0])].map(e => e.querySelector(".diff-text").textContent);', css)


def compare(drv):
    drv.get(f'{BASE}/console/#/avvisi/{NOTICE_ID}')
    heading(drv, 'Acqua sospesa in via Roma e piazza Garibaldi')
    wait_for(drv, lambda d: d.find_elements(By.ID, 'confronto'), 'the section Confronta versioni')
    start, end = Select(drv.find_element(By.ID, 'versione-da')), Select(drv.find_element(By.ID, 'versione-a'))
    if (start.first_selected_option.get_attribute('value'), end.first_selected_option.get_attribute('value')) != ('2', '3'):
        fail('the comparison does not start from version 2 → 3')
    labels = [o.text for o in start.options]
    if len(labels) != 3 or not labels[0].startswith('Versione 1 — Giulia Verdi, ') or \
            not labels[2].startswith('Versione 3 — sindaco, '):
        fail(f'version labels: {labels}')
    print(f'   ok  versions listed: {labels[0]!r} … {labels[2]!r}', flush=True)
    start.select_by_value('1')
    wait_for(drv, lambda d: 'dalla versione 1 alla versione 3' in text_of(d, '#confronto-stato'), 'the comparison 1 → 3')
    checks = {
        '#diff-titolo ins': [' e piazza Garibaldi'], '#diff-titolo del': [],
        '#diff-testo del': ['14'], '#diff-testo ins': ['16', ' e in piazza Garibaldi'],
        '#diff-link ins': ['https://comune.example.it/lavori'],
        '#diff-urgent del': ['no'], '#diff-urgent ins': ['sì'],
        '#diff-topics ins': ['acqua'],
    }
    for css, want in checks.items():
        got = marks(drv, css)
        if got != want:
            fail(f'{css}: {got}, expected {want}')
    if drv.find_elements(By.ID, 'diff-category') or drv.find_elements(By.ID, 'diff-channels'):
        fail('category or channels shown as changed')
    hidden = drv.execute_script(
        'return [...document.querySelectorAll("#diff-testo del .visually-hidden, #diff-testo ins .visually-hidden")]'
        '.map(e => e.textContent.trim());')
    if '[inizio testo rimosso]' not in hidden or '[fine testo inserito]' not in hidden:
        fail(f'no words for screen readers around the changes: {hidden}')
    print('   ok  version 1 → 3: <del>14</del> <ins>16</ins>, title, link, urgent, topics; '
          'screen-reader words around each change', flush=True)
    axe(drv, 'Confronta versioni')
    drv.execute_script('document.getElementById("confronto").scrollIntoView();')
    path = shot(drv, 'console-diff')
    print(f'   ok  screenshot {path}', flush=True)


def main():
    drv = browser()
    try:
        step('log in as the comune\'s editor')
        login(drv)
        step('the word diff, run in the page')
        diff_cases(drv)
        step('Avvisi: search and state filter in the address')
        search(drv)
        step('the notice: Confronta versioni 1 → 3')
        compare(drv)
    finally:
        drv.quit()


if __name__ == '__main__':
    main()

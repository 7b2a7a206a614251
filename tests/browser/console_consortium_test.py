#!/usr/bin/env python3
"""The console's consortium, people and progress-chart screens in a real
browser (headless Debian chromium driven by Selenium), against the running
stack: tests/e2e/93d_console_consortium.sh prepares the comuni and people
and checks the database afterwards.

A consortium person sends an alert to two comuni from Avviso consortile
("Seleziona tutti") and sees the group, one row per comune; picks the
other comune in Avvisi and finds its notice there; follows a sent notice in
In corso, whose chart (SVG bars) and hidden table are there. An approver
adds a person on Persone with a one-time password, which then logs in
(and sees no Persone entry: an editor). axe-core runs on every new screen
(0 serious or critical violations); the three screenshots of the
documentation are copied into DOCS_IMG when it is set (by hand, never
by the test run: a test leaves the repository as it found it).
"""
import os
import shutil
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bnd_browser import (axe, browser, fail, heading, step, submit_login,  # noqa: E402
                         text_of, wait_for)
import bnd_browser  # noqa: E402

BASE = os.environ['CONSOLE_URL'].rstrip('/')
COMUNE = os.environ['CONSOLE_COMUNE']
PASSWORD = os.environ['PASSWORD']
CONSORTIUM = os.environ['CONSORTIUM_LOGIN']
APPROVER = os.environ['APPROVER_LOGIN']
PROGRESS_ID = os.environ['PROGRESS_ID']
ALERT_TITLE = os.environ['ALERT_TITLE']
NEW_LOGIN = os.environ['NEW_LOGIN']
SCREENS = os.environ.get('SCREENS_DIR', '.local/console-screens-93d')
bnd_browser.setup('console 93d', SCREENS, os.environ['AXE_JS'])
DOCS_IMG = os.environ.get('DOCS_IMG', '')


def shot(drv, name, doc=None):
    """The whole page as a PNG; doc: its copy's name in DOCS_IMG."""
    path = bnd_browser.shot(drv, name)
    if doc and DOCS_IMG:
        shutil.copyfile(path, os.path.join(DOCS_IMG, doc))


def login(drv, who, password):
    """Logs in; waits out the per-address login limit (429, «Troppi tentativi»)
    that earlier scripts on the shared stack may have used up."""
    for _ in range(10):
        submit_login(drv, BASE, COMUNE, who, password)
        wait_for(drv, lambda d: 'Avvisi' in text_of(d, 'h1') or 'Troppi accessi' in text_of(d, '#messaggi'),
                 f'the login of {who}')
        if 'Avvisi' in text_of(drv, 'h1'):
            return
        time.sleep(8)
    fail(f'login of {who}: still rate limited')


def logout(drv):
    drv.find_element(By.ID, 'esci').click()
    heading(drv, 'Accedi')


def menu_shows(drv, section):
    return drv.execute_script(
        'const a = document.querySelector(`#menu a[data-sezione="${arguments[0]}"]`);'
        'return !!a && !a.closest("li").hidden;', section)


def consortium_alert(drv):
    step('a consortium person sends an alert to two comuni')
    login(drv, CONSORTIUM, PASSWORD)
    if not menu_shows(drv, 'avviso-consortile') or menu_shows(drv, 'persone'):
        fail('the consortium person\'s menu: Avviso consortile only')
    drv.find_element(By.CSS_SELECTOR, '#menu a[data-sezione="avviso-consortile"]').click()
    heading(drv, 'Avviso consortile')
    boxes = drv.find_elements(By.CSS_SELECTOR, '#elenco-comuni input[type="checkbox"]')
    if len(boxes) != 2:
        fail(f'{len(boxes)} comuni offered, not the two the person covers')
    axe(drv, 'avviso-consortile')
    drv.find_element(By.ID, 'seleziona-tutti').click()
    if not all(b.is_selected() for b in boxes):
        fail('«Seleziona tutti» did not select every comune')
    drv.find_element(By.ID, 'titolo').send_keys(ALERT_TITLE)
    drv.find_element(By.ID, 'testo').send_keys('Raffiche fino a 90 km/h: fissate gli oggetti sui balconi.')
    drv.find_element(By.ID, 'invia-consortile').click()
    wait_for(drv, lambda d: len(d.find_elements(By.CSS_SELECTOR, '#tabella-gruppo tbody tr')) == 2,
             'the group, one row per comune')
    wait_for(drv, lambda d: d.find_elements(By.ID, 'anteprima-whatsapp'), 'the preview of what citizens receive')
    rows = text_of(drv, '#tabella-gruppo tbody')
    if rows.count('Da approvare') != 2:
        fail(f'the group\'s rows read {rows!r}')
    shot(drv, 'avviso-consortile-gruppo', 'console-consortium.png')
    axe(drv, 'avviso-consortile (gruppo)')

    step('Avvisi: the other comune, chosen in the selector')
    drv.find_element(By.CSS_SELECTOR, '#menu a[data-sezione="avvisi"]').click()
    heading(drv, 'Avvisi')
    wait_for(drv, lambda d: d.find_elements(By.ID, 'scelta-comune'), 'the comune selector')
    select = Select(drv.find_element(By.ID, 'scelta-comune'))
    other = [o for o in select.options if o.get_attribute('value')][0]
    select.select_by_value(other.get_attribute('value'))
    wait_for(drv, lambda d: ALERT_TITLE in text_of(d, '#elenco-avvisi'), 'the other comune\'s notice in Avvisi')
    axe(drv, 'avvisi (comune scelto)')


def progress_chart(drv):
    step('In corso: the chart over time and its table')
    drv.get(f'{BASE}/console/#/in-corso/{PROGRESS_ID}')
    wait_for(drv, lambda d: d.find_elements(By.CSS_SELECTOR, '#grafico-andamento svg rect'), 'the chart\'s bars')
    rows = drv.find_elements(By.CSS_SELECTOR, '#tabella-andamento tbody tr')
    if not rows:
        fail('no rows in the chart\'s table')
    sent = drv.execute_script('return [...document.querySelectorAll("#tabella-andamento tbody tr td:nth-child(2)")]'
                              '.reduce((a, td) => a + Number(td.textContent), 0);')
    if sent != 2:
        fail(f'the table counts {sent} sent, not 2')
    wait_for(drv, lambda d: 'numero non raggiungibile su WhatsApp: 1' in text_of(d, '#numeri'),
             'the failure reason in words')
    shot(drv, 'in-corso-grafico', 'console-progress-chart.png')
    axe(drv, 'in-corso (grafico)')
    logout(drv)


def people(drv):
    step('Persone: the approver adds a person with a one-time password')
    login(drv, APPROVER, PASSWORD)
    if not menu_shows(drv, 'persone'):
        fail('the approver has no Persone entry')
    drv.find_element(By.CSS_SELECTOR, '#menu a[data-sezione="persone"]').click()
    heading(drv, 'Persone')
    wait_for(drv, lambda d: 'Sara Sindaco' in text_of(d, '#tabella-persone'), 'the people of the comune')
    if '+39 *** ** 67' not in text_of(drv, '#tabella-persone') or '3331234567' in text_of(drv, 'main'):
        fail('the alert number is not shown masked')
    axe(drv, 'persone')
    drv.find_element(By.ID, 'p-nome').send_keys('Nadia Nuova')
    drv.find_element(By.ID, 'p-login').send_keys(NEW_LOGIN)
    drv.find_element(By.ID, 'aggiungi-persona').click()
    wait_for(drv, lambda d: d.find_elements(By.ID, 'password-mostrata'), 'the one-time password')
    password = drv.find_element(By.ID, 'password-mostrata').text
    wait_for(drv, lambda d: NEW_LOGIN in text_of(d, '#tabella-persone'), 'the new person in the list')
    shot(drv, 'persone-aggiunta', 'console-people.png')
    axe(drv, 'persone (aggiunta)')
    logout(drv)

    step('the person added logs in (an editor: no Persone entry)')
    login(drv, NEW_LOGIN, password)
    if menu_shows(drv, 'persone') or menu_shows(drv, 'avviso-consortile'):
        fail('an editor sees Persone or Avviso consortile')
    logout(drv)


def main():
    drv = browser()
    try:
        consortium_alert(drv)
        progress_chart(drv)
        people(drv)
    finally:
        drv.quit()


if __name__ == '__main__':
    main()

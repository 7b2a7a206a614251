#!/usr/bin/env python3
"""The editors' console in a real browser (headless Debian chromium driven
by Selenium through chromium-driver), against the running local stack:
tests/e2e/93_console.sh sets the environment and checks the provider side.

An editor logs in, writes a notice with a topic, checks the preview, saves
and submits it (having sent a test to their own WhatsApp, received with
"[PROVA] " and the preview's parameters), the approver is alerted on
WhatsApp, the editor logs out; an approver logs in, finds it in Da approvare
and approves it with the keyboard alone (Tab, Enter), follows In corso to
100 %, then opens Iscritti (the active total as the API counts it, the
opt-in QR codes loaded, the poster in print emulation). Nuovo avviso must
show the audience GET /api/v1/audience answers. A wrong password is
refused with a message. axe-core runs on every
screen (0 serious or critical violations) and each screen is saved as a
PNG. Prints, as its last line, the JSON of what the preview showed, which
the shell script compares with what the fake WhatsApp received.
"""
import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bnd_browser import (api_get, browser, checked, fail, heading, screen, shot,  # noqa: E402
                         step, submit_login, text_of, wait_for)
import bnd_browser  # noqa: E402

BASE = os.environ['CONSOLE_URL'].rstrip('/')       # e.g. http://localhost:17405
COMUNE = os.environ.get('CONSOLE_COMUNE', 'demo')
EDITOR = (os.environ['EDITOR_LOGIN'], os.environ['EDITOR_PASSWORD'])
APPROVER = (os.environ['APPROVER_LOGIN'], os.environ['APPROVER_PASSWORD'])
AXE_JS = os.environ['AXE_JS']
SCREENS = os.environ.get('SCREENS_DIR', '.local/console-screens')
TITLE = os.environ.get('NOTICE_TITLE', 'Acqua sospesa in via Roma')
BODY = ('Domani, giovedì, dalle 8 alle 14 l\'acqua sarà sospesa in via Roma '
        'e in piazza Garibaldi per lavori alla rete.\nCi scusiamo per il disagio.')
TOPIC = os.environ.get('NOTICE_TOPIC', 'acqua')
# Alerts (docs/api.md "Approval alerts", "Test send"): the fake WhatsApp
# and the editor's and approver's own numbers (digits), when given.
FAKE_WA = os.environ.get('FAKE_WA_URL', '')
EDITOR_WA = os.environ.get('EDITOR_ALERT_DIGITS', '')
APPROVER_WA = os.environ.get('APPROVER_ALERT_DIGITS', '')

bnd_browser.setup('console', SCREENS, AXE_JS)


def login(drv, who, expect_ok=True):
    submit_login(drv, BASE, COMUNE, who[0], who[1])
    if expect_ok:
        heading(drv, 'Avvisi')


def logout(drv):
    drv.find_element(By.ID, 'esci').click()
    heading(drv, 'Accedi')
    wait_for(drv, lambda d: 'Sei uscito' in text_of(d, '#messaggi'), 'the logout message')


def write_notice(drv):
    drv.find_element(By.CSS_SELECTOR, '#menu a[data-sezione="nuovo"]').click()
    heading(drv, 'Nuovo avviso')
    drv.find_element(By.ID, 'titolo').send_keys(TITLE)
    drv.find_element(By.ID, 'testo').send_keys(BODY)
    drv.find_element(By.ID, 'argomenti').send_keys(TOPIC)
    drv.find_element(By.ID, 'canale-whatsapp').send_keys(Keys.SPACE)
    drv.find_element(By.ID, 'canale-telegram').send_keys(Keys.SPACE)
    check_audience(drv)
    count = drv.find_element(By.ID, 'titolo-conta').text
    if count != f'{len(TITLE)} caratteri su 120':
        fail(f'title counter reads «{count}»')
    drv.find_element(By.ID, 'salva').click()
    wait_for(drv, EC.presence_of_element_located((By.ID, 'anteprima-whatsapp')), 'the preview')
    params = [drv.find_element(By.CSS_SELECTOR, f'#anteprima-whatsapp [data-param="{i}"]')
              .get_attribute('textContent') for i in (1, 2, 3)]
    if params[0] != TITLE or params[1] != BODY.replace('\n', ' ') and params[1] != BODY:
        fail(f'preview parameters {params!r} are not the notice written')
    telegram = drv.find_element(By.ID, 'anteprima-telegram').get_attribute('textContent')
    if not telegram.startswith(TITLE) or 'via Roma' not in telegram:
        fail(f'Telegram preview reads {telegram!r}')
    screen(drv, '03-nuovo-avviso')
    stale = drv.find_element(By.ID, 'anteprima-vecchia')
    if stale.is_displayed():
        fail('the preview of the saved draft is said to be stale')
    drv.find_element(By.ID, 'titolo').send_keys('!')
    wait_for(drv, lambda d: stale.is_displayed(), 'the stale-preview warning after an edit')
    drv.find_element(By.ID, 'titolo').send_keys(Keys.BACKSPACE)   # the same text again
    if EDITOR_WA:
        test_send(drv, params)
    url = drv.current_url
    notice_id = url.rsplit('/', 1)[-1]
    drv.find_element(By.ID, 'invia').click()
    heading(drv, TITLE)
    wait_for(drv, lambda d: 'Da approvare' in text_of(d, 'main'), 'the submitted state')
    wait_for(drv, lambda d: 'inviato per l\'approvazione' in text_of(d, '#messaggi'), 'the message after submitting')
    return notice_id, params, telegram


def fake_params(digits, title):
    """The parameters of the templates the fake WhatsApp sent to digits with {{1}} = title."""
    url = f'{FAKE_WA}/_fake/messages?to={digits}'
    with urllib.request.urlopen(url, timeout=10) as r:
        msgs = json.load(r)['messages']
    return [m['params'] for m in msgs if m.get('type') == 'template' and m['params'][0] == title]


def wait_fake(digits, title, what, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = fake_params(digits, title)
        if got:
            return got
        time.sleep(0.5)
    fail(f'{what}: nothing titled «{title}» reached the fake WhatsApp')


def test_send(drv, params):
    """Invia una prova a me, once: said in the aria-live line, received by the editor alone."""
    drv.find_element(By.ID, 'prova').click()
    wait_for(drv, lambda d: 'Prova inviata al tuo WhatsApp' in text_of(d, '#prova-esito'),
             'the test-send confirmation')
    screen(drv, '03b-prova-inviata')
    got = wait_fake(EDITOR_WA, f'[PROVA] {TITLE}', 'the test send')
    if len(got) != 1 or got[0][1:] != params[1:]:
        fail(f'the test send {got!r} is not the preview {params!r} once')
    if fake_params(APPROVER_WA, f'[PROVA] {TITLE}'):
        fail('the approver received the editor\'s test')


def check_audience(drv):
    """Destinatari shows, for the topic and the two channels chosen, the
    count GET /api/v1/audience answers; no quiet hours (the test has none)."""
    query = urllib.parse.urlencode({'topics': TOPIC, 'channels': 'whatsapp,telegram'})
    shown = wait_for(drv, lambda d: d.execute_script(
        'const b = document.getElementById("destinatari");'
        'return b.dataset.query === arguments[0] ? document.getElementById("pubblico").dataset.total : null;',
        query), 'the audience of the targeting chosen')
    api = api_get(drv, f'/api/v1/audience?{query}')
    text = text_of(drv, '#pubblico')
    if str(api.get('total')) != shown or f"{api['total']} iscritti" not in text or api['total'] < 2:
        fail(f'audience shown {shown} («{text}»), the API answers {api}')
    if f"{api['whatsapp']} su WhatsApp" not in text or 'Costo stimato' not in text_of(drv, '#costo'):
        fail(f'audience per channel or cost missing: «{text}» «{text_of(drv, "#costo")}»')
    if drv.find_element(By.ID, 'silenzio').is_displayed():
        fail('a quiet-hours warning without quiet hours')


def subscribers(drv):
    """Iscritti: the active total the API counts, the growth chart's table
    (30 days), both QR codes loaded; the poster as printed."""
    drv.find_element(By.CSS_SELECTOR, '#menu a[data-sezione="iscritti"]').click()
    heading(drv, 'Iscritti')
    st = api_get(drv, '/api/v1/subscribers/stats?days=30')
    total = st.get('active', {}).get('total')
    wait_for(drv, lambda d: text_of(d, '#attivi-totale') == str(total), f'the active total {total}')
    if total < 2 or len(drv.find_elements(By.CSS_SELECTOR, '#tabella-crescita tbody tr')) != 30:
        fail(f'{total} active subscribers, or no 30 days in the chart\'s table')
    for kind in ('whatsapp', 'telegram'):
        wait_for(drv, lambda d: d.execute_script(
            'const i = document.getElementById(arguments[0]); return !!i && i.complete && i.naturalWidth > 0;',
            f'qr-{kind}'), f'the {kind} QR code loaded')
    screen(drv, '13-iscritti')
    drv.execute_cdp_cmd('Emulation.setEmulatedMedia', {'media': 'print'})
    if drv.find_element(By.ID, 'stampa').is_displayed() or not drv.find_element(By.ID, 'qr-whatsapp').is_displayed():
        fail('the printed poster is not only the poster')
    shot(drv, '14-manifesto')
    drv.execute_cdp_cmd('Emulation.setEmulatedMedia', {'media': ''})


def approve_by_keyboard(drv, notice_id):
    drv.find_element(By.CSS_SELECTOR, '#menu a[data-sezione="da-approvare"]').click()
    heading(drv, 'Da approvare')
    target = wait_for(drv, EC.presence_of_element_located(
        (By.CSS_SELECTOR, f'button[data-approva="{notice_id}"]')), 'the notice in the queue')
    screen(drv, '05-da-approvare')
    # From the top of the page, Tab until the notice's Approva button has the focus.
    drv.execute_script('document.activeElement.blur(); window.scrollTo(0, 0);')
    body = drv.find_element(By.TAG_NAME, 'body')
    body.send_keys(Keys.TAB)
    for _ in range(200):
        if drv.switch_to.active_element == target:
            break
        drv.switch_to.active_element.send_keys(Keys.TAB)
    else:
        fail('Tab never reached the Approva button')
    drv.switch_to.active_element.send_keys(Keys.ENTER)
    heading(drv, TITLE)
    wait_for(drv, lambda d: 'approvato' in text_of(d, '#messaggi'), 'the message after approving')


def follow_to_end(drv):
    bar = wait_for(drv, EC.presence_of_element_located((By.CSS_SELECTOR, '[role="progressbar"]')),
                   'the progress bar')
    wait_for(drv, lambda d: bar.get_attribute('aria-valuenow') == '100', 'progress at 100 %', 90)
    wait_for(drv, lambda d: 'Inviato' in text_of(d, '#stato-avviso'), 'the state Inviato', 60)
    screen(drv, '06-in-corso')


def cancel_mid_fanout(drv, notice_id):
    """Approves notice_id now (its recipients are on a slow sender), waits on
    In corso until some of it is sent and much is still to send, then
    cancels it through the confirmation dialog: the state becomes Annullato
    with part of it sent and the rest stopped."""
    drv.find_element(By.CSS_SELECTOR, '#menu a[data-sezione="da-approvare"]').click()
    heading(drv, 'Da approvare')
    wait_for(drv, EC.element_to_be_clickable(
        (By.CSS_SELECTOR, f'button[data-approva="{notice_id}"]')), 'the second notice in the queue').click()
    wait_for(drv, lambda d: 'In invio' in text_of(d, '#stato-avviso'), 'the state In invio', 60)

    def mid_fanout(d):
        # What the page itself shows: "Avanzamento: P% (N di M destinatari)".
        m = re.search(r'\((\d+) di (\d+) destinatari\)', text_of(d, '#etichetta-avanzamento'))
        return m and 10 <= int(m.group(1)) < int(m.group(2)) // 2
    wait_for(drv, mid_fanout, 'the page showing 10 or more sent, more than half still to send', 60)
    drv.find_element(By.ID, 'annulla-invio').click()
    wait_for(drv, EC.visibility_of_element_located((By.ID, 'dialogo-conferma')), 'the confirmation dialog')
    screen(drv, '09-conferma-annullamento')
    drv.find_element(By.ID, 'dialogo-conferma').click()
    wait_for(drv, lambda d: 'Annullato' in text_of(d, '#stato-avviso'), 'the state Annullato', 30)
    wait_for(drv, lambda d: 'Invio annullato' in text_of(d, '#messaggi'), 'the message after cancelling')


def reject_with_reason(drv, notice_id):
    """Rejects notice_id with a reason typed in the dialog; the notice's page
    shows the state Respinto and the reason."""
    drv.find_element(By.CSS_SELECTOR, '#menu a[data-sezione="da-approvare"]').click()
    heading(drv, 'Da approvare')
    wait_for(drv, EC.element_to_be_clickable(
        (By.CSS_SELECTOR, f'button[data-respingi="{notice_id}"]')), 'the third notice in the queue').click()
    field = wait_for(drv, EC.visibility_of_element_located((By.ID, 'dialogo-campo')), 'the reason field')
    field.send_keys('Manca l\'orario di riapertura.')
    screen(drv, '10-respingi')
    drv.find_element(By.ID, 'dialogo-conferma').click()
    wait_for(drv, lambda d: 'respinto' in text_of(d, '#messaggi'), 'the message after rejecting')
    drv.get(f'{BASE}/console/#/avvisi/{notice_id}')
    wait_for(drv, lambda d: 'Manca l\'orario di riapertura.' in text_of(d, 'main'), 'the reason on the notice page', 30)
    if 'Respinto' not in text_of(drv, 'main'):
        fail('the rejected notice does not say Respinto')


def filter_sent(drv):
    """Avvisi filtered by state Inviato lists only sent notices."""
    drv.get(f'{BASE}/console/#/avvisi')
    heading(drv, 'Avvisi')
    Select(drv.find_element(By.ID, 'filtro-stato')).select_by_value('sent')
    drv.find_element(By.CSS_SELECTOR, '#filtro button[type="submit"]').click()
    wait_for(drv, lambda d: 'stato=sent' in d.current_url, 'the filtered list')
    wait_for(drv, lambda d: set(text_of(d, '#elenco-avvisi .badge').split('\n')) == {'Inviato'},
             'a list of sent notices only')


def quiet_warning():
    """QUIET_ONLY=1 (the comune now inside its quiet hours): Nuovo avviso
    warns when a normal notice would leave, at the time the API says; the
    warning goes when Urgente is ticked."""
    drv = browser()
    try:
        login(drv, APPROVER)
        drv.find_element(By.CSS_SELECTOR, '#menu a[data-sezione="nuovo"]').click()
        heading(drv, 'Nuovo avviso')
        warn = wait_for(drv, EC.visibility_of_element_located((By.ID, 'silenzio')), 'the quiet-hours warning')
        q = api_get(drv, '/api/v1/audience')['quiet_hours']
        want = f"Sarà inviato alle {q['until_local'][11:16]}, dopo l'orario di silenzio"
        if not q['held'] or want not in warn.text:
            fail(f'quiet-hours warning «{warn.text}», the API says {q}')
        screen(drv, '15-nuovo-silenzio')
        drv.find_element(By.ID, 'urgente').send_keys(Keys.SPACE)
        wait_for(drv, lambda d: not warn.is_displayed(), 'no warning for an urgent notice')
        step('the quiet-hours warning, and none for an urgent notice')
    finally:
        drv.quit()


def main():
    if os.environ.get('QUIET_ONLY') == '1':
        return quiet_warning()
    drv = browser()
    try:
        step('the login page')
        drv.get(f'{BASE}/console')
        heading(drv, 'Accedi')
        screen(drv, '01-accedi')

        step('a wrong password is refused with a message')
        login(drv, (EDITOR[0], EDITOR[1] + '-sbagliata'), expect_ok=False)
        wait_for(drv, lambda d: 'non corretti' in text_of(d, '#messaggi'),
                 'the wrong-password message')
        shot(drv, '01b-accesso-negato')

        step('the editor logs in: Avvisi')
        login(drv, EDITOR)
        screen(drv, '02-avvisi')

        step('the editor writes a notice with a topic, checks the preview, saves and submits it')
        notice_id, params, telegram = write_notice(drv)
        screen(drv, '04-avviso')

        if APPROVER_WA:
            step('before anyone approves, the approver is alerted on WhatsApp')
            wait_fake(APPROVER_WA, f'Da approvare: {TITLE}', 'the approval alert')

        step('the editor logs out')
        logout(drv)

        step('the approver logs in and approves with the keyboard alone')
        login(drv, APPROVER)
        approve_by_keyboard(drv, notice_id)

        step('In corso: the progress reaches 100 %')
        follow_to_end(drv)

        if os.environ.get('CANCEL_ID'):
            step('the approver approves another notice, then cancels it mid-fan-out (with confirmation)')
            cancel_mid_fanout(drv, os.environ['CANCEL_ID'])

        if os.environ.get('REJECT_ID'):
            step('the approver rejects another notice with a reason typed in the dialog')
            reject_with_reason(drv, os.environ['REJECT_ID'])

        step('the notice page shows the history: who, what, when')
        drv.get(f'{BASE}/console/#/avvisi/{notice_id}')
        heading(drv, TITLE)
        wait_for(drv, lambda d: len(d.find_elements(By.CSS_SELECTOR, '#storia li')) >= 3, 'the history')
        screen(drv, '07-avviso-inviato')

        step('Iscritti: counts, growth, the opt-in QR codes and the poster')
        subscribers(drv)

        step('Avvisi filtered by state')
        filter_sent(drv)

        step('on a phone-sized screen')
        drv.set_window_size(390, 844)
        drv.get(f'{BASE}/console/#/avvisi')
        heading(drv, 'Avvisi')
        screen(drv, '08-avvisi-telefono')

        # Last of the editor's logins: the account stays locked for a quarter
        # of an hour (a second run on the same stack must wait that long).
        step('repeated wrong passwords lock the account, and the page says so')
        drv.get(f'{BASE}/console/#/avvisi')
        heading(drv, 'Avvisi')
        logout(drv)
        for _ in range(8):
            login(drv, (EDITOR[0], EDITOR[1] + '-sbagliata'), expect_ok=False)
            wait_for(drv, lambda d: text_of(d, '#messaggi') != '', 'an answer to the login')
            if 'bloccato' in text_of(drv, '#messaggi'):
                break
        else:
            fail('no lockout message after 8 wrong passwords')
        if 'Riprova tra' not in text_of(drv, '#messaggi'):
            fail(f'the lockout message does not say how long: {text_of(drv, "#messaggi")}')
        shot(drv, '01c-accesso-bloccato')

        step('the public pages: the sign-up form and the archive')
        drv.get(f'{BASE}/c/{COMUNE}/iscrizione')
        wait_for(drv, lambda d: text_of(d, 'h1') != '', 'the sign-up form')
        screen(drv, '11-pubblico-iscrizione')
        drv.get(f'{BASE}/c/{COMUNE}/avvisi/{notice_id}')
        wait_for(drv, lambda d: TITLE in text_of(d, 'main, body'), 'the notice in the archive', 30)
        screen(drv, '12-pubblico-archivio')
        drv.set_window_size(1280, 1000)

        step(f'axe-core found no serious or critical violation on {len(checked)} screens')
        print(json.dumps({'id': notice_id, 'whatsapp': params, 'telegram': telegram}), flush=True)
    finally:
        drv.quit()


if __name__ == '__main__':
    main()

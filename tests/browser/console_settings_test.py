#!/usr/bin/env python3
"""Argomenti and Impostazioni del Comune in a real browser (headless Debian
chromium through Selenium), against the running local stack:
tests/e2e/93c_console_settings.sh sets the environment (its own comune and
people) and checks the database afterwards.

The approver sees both menu entries; on Argomenti adds "Strade e
viabilità" (slug and keyword filled in from the name), after being told,
next to the field, that ATTIVA is taken; on Impostazioni is told next to
the field that a price of 12 euros is refused, then changes the quiet
hours to 22:30-07:00 and finds the change, with their name, under
Modifiche recenti. The edit dialog says a taken keyword next to its
field; deleting a topic a citizen chose is refused in words. The editor
sees neither menu entry. axe-core on every
screen (0 serious or critical); the screens are saved as PNGs. The
helpers (login, axe, screenshots) are console_test.py's.
"""
import os
import sys

from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import console_test as ct  # noqa: E402

APPROVER_NAME = os.environ.get('APPROVER_NAME', '')


def step(msg):
    print(f'-- console settings: {msg}', flush=True)


def set_value(drv, el_id, value):
    """Types value into a field as a person would end up with it (time and
    number inputs take keys by locale: the value is set, then input fires)."""
    drv.execute_script(
        'const el = document.getElementById(arguments[0]); el.value = arguments[1];'
        'el.dispatchEvent(new Event("input", {bubbles: true}));', el_id, value)


def error_next_to(drv, el_id, words):
    """The field's error is shown, says words, and the field points to it."""
    box = f'{el_id}-errore'
    ct.wait_for(drv, lambda d: d.find_element(By.ID, box).is_displayed(), f'the error of {el_id}')
    text = drv.find_element(By.ID, box).text
    described = drv.find_element(By.ID, el_id).get_attribute('aria-describedby') or ''
    if words not in text or box not in described.split():
        ct.fail(f'error of {el_id}: «{text}», aria-describedby «{described}»')
    if drv.find_element(By.ID, el_id).get_attribute('aria-invalid') != 'true':
        ct.fail(f'{el_id} is not aria-invalid')


def menu_entry(drv, section):
    els = drv.find_elements(By.CSS_SELECTOR, f'#menu a[data-sezione="{section}"]')
    return els[0].is_displayed() if els else False


def topics(drv):
    drv.find_element(By.CSS_SELECTOR, '#menu a[data-sezione="argomenti"]').click()
    ct.heading(drv, 'Argomenti')
    ct.wait_for(drv, lambda d: 'Raccolta rifiuti' in ct.text_of(d, '#tabella-temi'), 'the topics table')
    drv.find_element(By.ID, 'nuovo-nome').send_keys('Strade e viabilità')
    if drv.find_element(By.ID, 'nuovo-slug').get_attribute('value') != 'strade-e-viabilita':
        ct.fail('the slug is not filled in from the name')
    set_value(drv, 'nuovo-parola', 'attiva')
    drv.find_element(By.ID, 'aggiungi-argomento').click()
    error_next_to(drv, 'nuovo-parola', 'già in uso')
    ct.shot(drv, 'argomenti-errore')
    set_value(drv, 'nuovo-parola', 'STRADE')
    drv.find_element(By.ID, 'aggiungi-argomento').click()
    ct.wait_for(drv, lambda d: 'aggiunto' in ct.text_of(d, '#messaggi'), 'the success message')
    ct.wait_for(drv, lambda d: d.find_elements(By.CSS_SELECTOR, 'tr[data-slug="strade-e-viabilita"]'),
                'the new topic in the table')
    row = ct.text_of(drv, 'tr[data-slug="strade-e-viabilita"]')
    if 'STRADE' not in row or 'Strade e viabilità' not in row:
        ct.fail(f'the new row reads «{row}»')
    ct.screen(drv, 'console-topics')
    edit_and_delete(drv)


def edit_and_delete(drv):
    """The edit dialog says another topic's keyword next to its field and
    goes away with Indietro; deleting a topic a citizen chose is refused."""
    drv.find_element(By.CSS_SELECTOR, 'tr[data-slug="strade-e-viabilita"] [data-azione="modifica"]').click()
    ct.wait_for(drv, lambda d: d.find_elements(By.CSS_SELECTOR, 'dialog[open] #modifica-parola'), 'the edit dialog')
    set_value(drv, 'modifica-parola', 'RIFIUTI')
    drv.find_element(By.ID, 'modifica-salva').click()
    error_next_to(drv, 'modifica-parola', 'un altro argomento')
    ct.screen(drv, 'argomenti-modifica')
    drv.find_element(By.ID, 'modifica-annulla').click()
    ct.wait_for(drv, lambda d: not d.find_elements(By.CSS_SELECTOR, 'dialog[open]'), 'the dialog closed')
    drv.find_element(By.CSS_SELECTOR, 'tr[data-slug="rifiuti"] [data-azione="elimina"]').click()
    ct.wait_for(drv, lambda d: d.find_elements(By.CSS_SELECTOR, 'dialog[open] #dialogo-conferma'), 'the confirmation')
    drv.find_element(By.ID, 'dialogo-conferma').click()
    ct.wait_for(drv, lambda d: 'non si può eliminare' in ct.text_of(d, '#messaggi'), 'the refusal in words')
    if not drv.find_elements(By.CSS_SELECTOR, 'tr[data-slug="rifiuti"]'):
        ct.fail('the topic in use left the table')


def settings(drv):
    drv.find_element(By.CSS_SELECTOR, '#menu a[data-sezione="impostazioni"]').click()
    ct.heading(drv, 'Impostazioni del Comune')
    price = drv.find_element(By.ID, 'prezzo-whatsapp').get_attribute('value')
    set_value(drv, 'silenzio-inizio', '22:30')
    set_value(drv, 'silenzio-fine', '07:00')
    set_value(drv, 'prezzo-whatsapp', '12')
    drv.find_element(By.ID, 'salva-impostazioni').click()
    error_next_to(drv, 'prezzo-whatsapp', 'Valore non valido')
    set_value(drv, 'prezzo-whatsapp', price)
    drv.find_element(By.ID, 'salva-impostazioni').click()
    ct.wait_for(drv, lambda d: 'Impostazioni salvate' in ct.text_of(d, '#messaggi'), 'the success message')
    live = drv.execute_script('return document.getElementById("messaggi").getAttribute("aria-live");')
    if live != 'polite':
        ct.fail('the success message is not in an aria-live region')
    ct.wait_for(drv, lambda d: 'Orario di silenzio, fine' in ct.text_of(d, '#modifiche-recenti'),
                'the change under Modifiche recenti')
    recent = ct.text_of(drv, '#modifiche-recenti')
    if '22:30' not in recent or APPROVER_NAME not in recent:
        ct.fail(f'Modifiche recenti reads «{recent[:300]}»')
    ct.screen(drv, 'console-settings')


def main():
    drv = ct.browser()
    try:
        step('the approver sees Argomenti and Impostazioni')
        ct.login(drv, ct.APPROVER)
        if not (menu_entry(drv, 'argomenti') and menu_entry(drv, 'impostazioni')):
            ct.fail('the approver has no Argomenti or Impostazioni in the menu')
        step('Argomenti: a topic added, a taken keyword said next to its field')
        topics(drv)
        step('Impostazioni: quiet hours changed, a bad price said next to its field')
        settings(drv)
        ct.logout(drv)
        step('the editor sees neither menu entry')
        ct.login(drv, ct.EDITOR)
        if menu_entry(drv, 'argomenti') or menu_entry(drv, 'impostazioni'):
            ct.fail('the editor sees Argomenti or Impostazioni in the menu')
        ct.screen(drv, 'redattore-menu')
        step(f'axe-core found no serious or critical violation on {len(ct.checked)} screens')
    finally:
        drv.quit()


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Checks publiccode.yml against the publiccode.yml standard 0.x (keys,
required fields, the controlled vocabularies, lengths, dates) and its
Italian extension, as Developers Italia's publiccode-parser does with
network checks off. The parser itself (a Go module) is not served by the
Go module proxy this project's machines reach, so these rules are written
here from the standard (https://yml.publiccode.tools); keep them in step.

  publiccode_check.py publiccode.yml
"""
import datetime
import re
import sys

import yaml

TOP = {"publiccodeYmlVersion", "name", "applicationSuite", "url", "landingURL",
       "isBasedOn", "softwareVersion", "releaseDate", "logo", "organisation",
       "platforms", "categories", "usedBy", "fundedBy", "roadmap",
       "developmentStatus", "softwareType", "intendedAudience", "description",
       "legal", "maintenance", "localisation", "dependsOn", "IT"}
REQUIRED = ["publiccodeYmlVersion", "name", "url", "platforms", "developmentStatus",
            "softwareType", "description", "legal", "maintenance", "localisation"]
VERSIONS = {"0.2", "0.3", "0.4", "0.5"}
STATUS = {"concept", "development", "beta", "stable", "obsolete"}
TYPES = {"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
         "standalone/backend", "standalone/other", "addon", "library", "configurationFiles"}
SCOPES = set("""agriculture culture defence education emergency-services employment energy
environment finance-and-economic-development foreign-affairs healthcare infrastructures
justice local-authorities manufacturing research science-and-technology security society
sport tourism transportation welfare""".split())
CATEGORIES = set("""accounting agile-project-management applicant-tracking
application-development appointment-scheduling backup billing-and-invoicing blog budgeting
business-intelligence business-process-management cad call-center-management
cloud-management collaboration communications compliance-management contact-management
content-management crm customer-service-and-support data-analytics data-collection
data-visualization design design-system digital-asset-management digital-citizenship
document-management donor-management e-commerce e-signature educational-content
email-management email-marketing employee-management enterprise-project-management
enterprise-social-networking erp event-management facility-management
feedback-and-reviews-management financial-reporting fleet-management fundraising
gamification geographic-information-systems grant-management graphic-design help-desk hr
ide identity-management instant-messaging inventory-management it-asset-management
it-development it-management it-security it-service-management knowledge-management
learning-management-system marketing mind-mapping mobile-marketing mobile-payment
network-management office online-booking online-community payment-gateway payroll
predictive-analysis procurement productivity-suite project-collaboration
project-management property-management real-estate-management remote-support
resource-management sales-management seo service-desk social-media-management survey
talent-management task-management taxes-management test-management time-management
time-tracking translation video-conferencing video-editing visitor-management voip
warehouse-management web-collaboration web-conferencing website-builder whistleblowing
workflow-management""".split())
DESC_KEYS = {"localisedName", "shortDescription", "longDescription", "documentation",
             "apiDocumentation", "features", "screenshots", "videos", "awards"}
ERRORS = []


def err(key, what):
    ERRORS.append(f"{key}: {what}")


def is_url(v):
    return isinstance(v, str) and re.fullmatch(r"https?://[^\s/]+(/\S*)?", v) is not None


def is_date(v):
    try:
        return datetime.date.fromisoformat(str(v)) is not None and len(str(v)) == 10
    except ValueError:
        return False


def check_top(pc):
    for k in sorted(set(pc) - TOP):
        err(k, "unknown key")
    for k in REQUIRED:
        if k not in pc:
            err(k, "required")
    if str(pc.get("publiccodeYmlVersion")) not in VERSIONS:
        err("publiccodeYmlVersion", f"one of {sorted(VERSIONS)}")
    for k in ("url", "landingURL", "roadmap"):
        if k in pc and not is_url(pc[k]):
            err(k, "not an http(s) URL")
    if "releaseDate" in pc and not is_date(pc["releaseDate"]):
        err("releaseDate", "not a YYYY-MM-DD date")
    if not pc.get("platforms"):
        err("platforms", "at least one")
    if pc.get("developmentStatus") not in STATUS:
        err("developmentStatus", f"one of {sorted(STATUS)}")
    if pc.get("softwareType") not in TYPES:
        err("softwareType", "not a software type of the standard")
    for c in pc.get("categories", []):
        if c not in CATEGORIES:
            err("categories", f"{c} is not in the standard's list")
    if "organisation" in pc and not pc["organisation"].get("name"):
        err("organisation.name", "required")


def check_audience(aud):
    for s in aud.get("scope", []):
        if s not in SCOPES:
            err("intendedAudience.scope", f"{s} is not in the standard's list")
    for c in aud.get("countries", []) + aud.get("unsupportedCountries", []):
        if not re.fullmatch(r"[A-Z]{2}", c):
            err("intendedAudience.countries", f"{c}: an upper-case ISO 3166-1 alpha-2 code")


def check_description(lang, d):
    key = f"description.{lang}"
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", lang):
        err(key, "not a BCP 47 language tag")
    for k in sorted(set(d) - DESC_KEYS):
        err(f"{key}.{k}", "unknown (or deprecated) key")
    short, long_ = d.get("shortDescription", ""), d.get("longDescription", "")
    if not short or len(short) > 150:
        err(f"{key}.shortDescription", "required, at most 150 characters")
    if not 150 <= len(long_) <= 10000:
        err(f"{key}.longDescription", "required, 150 to 10000 characters")
    if not d.get("features"):
        err(f"{key}.features", "at least one")
    for k in ("documentation", "apiDocumentation"):
        if k in d and not is_url(d[k]):
            err(f"{key}.{k}", "not an http(s) URL")


def check_legal_maintenance(pc):
    lic = pc.get("legal", {}).get("license", "")
    if not re.fullmatch(r"[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*", lic):
        err("legal.license", "an SPDX license expression")
    m = pc.get("maintenance", {})
    if m.get("type") not in ("internal", "contract", "community", "none"):
        err("maintenance.type", "internal, contract, community or none")
    if m.get("type") in ("internal", "community") and not m.get("contacts"):
        err("maintenance.contacts", "required for this type")
    if m.get("type") == "contract" and not all(is_date(c.get("until")) for c in m.get("contractors") or [{}]):
        err("maintenance.contractors", "each with a name and an until date")
    for c in m.get("contacts", []):
        if not c.get("name"):
            err("maintenance.contacts", "each needs a name")
        if "email" in c and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", c["email"]):
            err("maintenance.contacts", f"{c['email']}: not an e-mail address")


def check_rest(pc):
    loc = pc.get("localisation", {})
    if not isinstance(loc.get("localisationReady"), bool) or not loc.get("availableLanguages"):
        err("localisation", "localisationReady (true/false) and availableLanguages required")
    for kind, deps in (pc.get("dependsOn") or {}).items():
        if kind not in ("open", "proprietary", "hardware") or any(not d.get("name") for d in deps):
            err(f"dependsOn.{kind}", "open, proprietary or hardware, each with a name")
    it = pc.get("IT")
    if it is not None and str(it.get("countryExtensionVersion")) not in ("0.2", "1.0"):
        err("IT.countryExtensionVersion", "0.2 or 1.0")
    for k, v in ((it or {}).get("piattaforme") or {}).items():
        if k not in ("spid", "pagopa", "cie", "anpr", "io") or not isinstance(v, bool):
            err(f"IT.piattaforme.{k}", "unknown or not true/false")


def main():
    path = sys.argv[1]
    try:
        pc = yaml.safe_load(open(path, encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        print(f"publiccode_check: {e}")
        return 1
    check_top(pc)
    check_audience(pc.get("intendedAudience") or {})
    for lang, d in (pc.get("description") or {}).items():
        check_description(lang, d or {})
    check_legal_maintenance(pc)
    check_rest(pc)
    for e in ERRORS:
        print(f"publiccode_check: {e}")
    return 1 if ERRORS else 0


if __name__ == "__main__":
    sys.exit(main())

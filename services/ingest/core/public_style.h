/*
 * The look the public pages (archive, sign-up form) share with the
 * editors' console: Bootstrap Italia's typeface and colours, as inline CSS
 * (the pages' own rules follow it). Not Bootstrap Italia's whole
 * stylesheet (750 KB): citizens' pages stay light. The fonts come from the
 * console's copy of the Bootstrap Italia dist on this same origin
 * (/console/bi/fonts/, docs/console-ui.md), so the pages need
 * "font-src 'self'" and make no third-party request; without a console
 * folder they fall back to the system's sans-serif.
 */
#ifndef BND_INGEST_PUBLIC_STYLE_H
#define BND_INGEST_PUBLIC_STYLE_H

#define PUBLIC_FONT(weight, file)                                                    \
	"@font-face{font-family:'Titillium Web';font-weight:" weight ";font-display:swap;" \
	"src:url(/console/bi/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-" file \
	".woff2) format('woff2')}"

#define PUBLIC_STYLE                                                                        \
	PUBLIC_FONT("400", "regular")                                                       \
	PUBLIC_FONT("600", "600")                                                           \
	PUBLIC_FONT("700", "700")                                                           \
	"body{font-family:'Titillium Web',Geneva,Tahoma,sans-serif;color:#1a1a1a;"          \
	"border-top:.5rem solid #0066cc}"                                                   \
	"h1,h2{color:#004080;font-weight:700;line-height:1.2}a{color:#0066cc}"              \
	"button{background:#0066cc;color:#fff;border:0;border-radius:4px;font-weight:600;" \
	"font-family:inherit;cursor:pointer}button:hover,button:focus{background:#004d99}"  \
	":focus-visible{outline:3px solid #f90;outline-offset:2px}"

/* What a public page's Content-Security-Policy adds for those fonts. */
#define PUBLIC_FONT_SRC "font-src 'self'; "

#endif

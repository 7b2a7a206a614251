# Banditore — top-level build.
#
#   make run      install what is missing, build, start the local stack
#   make stop     stop the local stack
#   make test     install what is missing, build, run every test
#   make bench    run the benchmarks (bench/)
#   make          build everything (build/bin/)
#   make SAN=1    build with AddressSanitizer + UBSan (into build-san/)
#   make fuzz     build the libFuzzer targets with clang (build-fuzz/) and run
#                 each for FUZZ_SECONDS (60); make fuzz-replay replays the
#                 committed corpora on the sanitizer build (fuzz/README.md)
#   make format   clang-format (.clang-format) the lines changed since
#                 FORMAT_BASE (HEAD: what is not committed yet; main: a
#                 branch's work), never the whole tree
#
# Sources are found by directory, at any depth: every .c under common/ goes
# into libbanditore.a; every .c under services/<name>/ into banditore-<name>;
# tools/<name>/, tests/fakes/<name>/ and bench/<name>/ into <name>; what the
# fakes share, tests/fakes/lib/, into libfakes.a, linked by each fake. A
# program's files are compiled with -I<its directory>, so files in its
# subfolders include each other as "area/file.h". Unit tests are
# tests/unit/<module>/test_*.c, linked with that module's objects
# (all but main.c) and the library. Fuzz targets are fuzz/<module>_<name>.c,
# linked the same way with the objects of <module> (common, ingest, ...).

SAN     ?= $(if $(BND_SAN),$(BND_SAN),0)
BUILD   ?= $(if $(filter 1,$(SAN)),build-san,build)
CC      ?= cc

PKGS    := rdkafka libpq libcurl libevent libevent_pthreads jansson libprotobuf-c openssl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter \
           -fno-strict-aliasing -MMD -MP
CPPFLAGS += -D_GNU_SOURCE -Icommon -I$(BUILD)/proto $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lpthread -lm
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(FUZZ),1)
CFLAGS  += -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=undefined
endif

PROTO_C := $(BUILD)/proto/banditore.pb-c.c
PROTO_H := $(BUILD)/proto/banditore.pb-c.h
LIB     := $(BUILD)/libbanditore.a
# rwildcard(dir,pattern): the files below dir, at any depth, that match pattern
rwildcard = $(foreach d,$(wildcard $(1:=/*)),$(call rwildcard,$(d),$(2)) $(filter $(subst *,%,$(2)),$(d)))
# objs_of(dir): the objects of every .c below dir
objs_of = $(patsubst %.c,$(BUILD)/%.o,$(sort $(call rwildcard,$(1),*.c)))

LIB_OBJS := $(call objs_of,common) $(BUILD)/proto/banditore.pb-c.o

SERVICES := $(notdir $(wildcard services/*))
TOOLS    := $(notdir $(wildcard tools/*))
FAKES    := $(filter-out lib,$(notdir $(wildcard tests/fakes/*)))
FAKE_LIB := $(BUILD)/libfakes.a
BENCHES  := $(patsubst bench/%/,%,$(wildcard bench/*/))

BINS := $(SERVICES:%=$(BUILD)/bin/banditore-%) $(TOOLS:%=$(BUILD)/bin/%) $(FAKES:%=$(BUILD)/bin/%) \
        $(BENCHES:%=$(BUILD)/bin/%)

# Unit tests: module dir = services/<m>, tools/<m>, tests/fakes/<m> or common.
UNIT_SRCS  := $(wildcard tests/unit/*/test_*.c)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
module_dir = $(firstword $(wildcard services/$(1) tools/$(1) tests/fakes/$(1)) common)
module_objs = $(filter-out %/main.o,$(call objs_of,$(call module_dir,$(1)))) \
              $(if $(filter tests/fakes/%,$(call module_dir,$(1))),$(FAKE_LIB))

.PHONY: all run stop test test-unit test-e2e test-cluster bench clean format lint deps console
all: $(BINS) $(UNIT_BINS) console

# The editors' console (docs/console-ui.md): web/console/ and the parts of the
# Bootstrap Italia dist it uses (fetched by scripts/setup.sh into .local/npm)
# copied into $(BUILD)/console, the folder ingest serves (BND_CONSOLE_DIR).
BI_DIST := .local/npm/bootstrap-italia-$(shell awk '$$1=="bootstrap-italia"{print $$2}' web/npm-assets.txt)/package/dist
console:
	@rm -rf $(BUILD)/console.tmp && mkdir -p $(BUILD)/console.tmp/bi/fonts
	@cp -R web/console/. $(BUILD)/console.tmp/
	@if [ -d $(BI_DIST) ]; then \
	    cp -R $(BI_DIST)/css $(BI_DIST)/svg $(BUILD)/console.tmp/bi/ && \
	    cp -R $(BI_DIST)/fonts/Titillium_Web $(BI_DIST)/fonts/Roboto_Mono $(BUILD)/console.tmp/bi/fonts/; \
	else echo "console: no $(BI_DIST) (run scripts/setup.sh): console without its styles" >&2; fi
	@rm -rf $(BUILD)/console && mv $(BUILD)/console.tmp $(BUILD)/console

$(BUILD)/proto/%.pb-c.c $(BUILD)/proto/%.pb-c.h: proto/%.proto
	@mkdir -p $(@D)
	protoc-c --c_out=$(BUILD)/proto -Iproto $<

$(BUILD)/%.o: %.c | $(PROTO_H)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/proto/banditore.pb-c.o: $(PROTO_C)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-unused-parameter -c -o $@ $<

# Only banditore-feeds parses XML (CAP alerts): libxml2 is its alone.
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
XML_LIBS   := $(shell pkg-config --libs libxml-2.0 2>/dev/null)
$(BUILD)/services/feeds/%.o $(BUILD)/tests/unit/feeds/%.o $(BUILD)/fuzz/feeds_%.o: CPPFLAGS += $(XML_CFLAGS)
$(BUILD)/bin/banditore-feeds $(BUILD)/tests/feeds/% $(BUILD)/fuzz/feeds_% $(BUILD)/fuzz/replay/feeds_%: \
    LDLIBS += $(XML_LIBS)

# Staff passwords (common/password.c, argon2id): libsodium, linked by
# what uses them only: ingest (the console's login), banditorectl (staff).
SODIUM_LIBS := $(shell pkg-config --libs libsodium 2>/dev/null)
# (Unit tests and fuzz targets of common link every common object.)
$(BUILD)/bin/banditore-ingest $(BUILD)/bin/banditorectl \
    $(foreach m,ingest banditorectl common,$(BUILD)/tests/$(m)/% $(BUILD)/fuzz/$(m)_% \
    $(BUILD)/fuzz/replay/$(m)_%): LDLIBS += $(SODIUM_LIBS)
# Only banditore-ingest draws QR codes (the opt-in posters): libqrencode is its alone.
QR_LIBS := $(shell pkg-config --libs libqrencode 2>/dev/null || echo -lqrencode)
$(BUILD)/bin/banditore-ingest $(BUILD)/tests/ingest/% $(BUILD)/fuzz/ingest_% \
    $(BUILD)/fuzz/replay/ingest_%: LDLIBS += $(QR_LIBS)

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# The fakes (and their unit tests) also see tests/fakes/lib's headers.
$(BUILD)/tests/fakes/%.o $(BUILD)/tests/unit/fake-%.o: CPPFLAGS += -Itests/fakes/lib
$(FAKE_LIB): $(call objs_of,tests/fakes/lib)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# program(dir, name[, more libraries]): every object below dir, linked.
define program
$(call objs_of,$(1)): CPPFLAGS += -I$(1)
$(BUILD)/bin/$(2): $(call objs_of,$(1)) $(3) $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
# --version of every binary: BND_VERSION, by default what git describes (a
# build without .git, e.g. Docker's, says "unknown" unless given one). The
# stamp changes only with the version, so only the version.o files follow it.
BND_VERSION ?= $(or $(shell git describe --always --dirty 2>/dev/null),unknown)
VERSION_STAMP := $(BUILD)/version.stamp
$(VERSION_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(BND_VERSION)' | cmp -s - $@ || echo '$(BND_VERSION)' >$@
$(BUILD)/common/version.o: CPPFLAGS += -DBND_VERSION='"$(BND_VERSION)"'
$(BUILD)/common/version.o: $(VERSION_STAMP)
.PHONY: FORCE
FORCE:

$(foreach s,$(SERVICES),$(eval $(call program,services/$(s),banditore-$(s))))
$(foreach t,$(TOOLS),$(eval $(call program,tools/$(t),$(t))))
$(foreach f,$(FAKES),$(eval $(call program,tests/fakes/$(f),$(f),$(FAKE_LIB))))
$(foreach b,$(BENCHES),$(eval $(call program,bench/$(b),$(b))))

define unit_test
$(BUILD)/tests/unit/$(1)/$(2).o: CPPFLAGS += -I$(call module_dir,$(1))
$(BUILD)/tests/$(1)/$(2): $(BUILD)/tests/unit/$(1)/$(2).o $(call module_objs,$(1)) $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS) -lcmocka
endef
$(foreach src,$(UNIT_SRCS),$(eval $(call unit_test,$(notdir $(patsubst %/,%,$(dir $(src)))),$(basename $(notdir $(src))))))

# Fuzz targets: $(BUILD)/fuzz/<target> (libFuzzer, FUZZ=1 with clang) or
# $(BUILD)/fuzz/replay/<target> (the replay driver, for the corpus).
FUZZ_SRCS    := $(wildcard fuzz/*.c)
FUZZ_NAMES   := $(basename $(notdir $(FUZZ_SRCS)))
fuzz_module   = $(firstword $(subst _, ,$(1)))
FUZZ_BINS    := $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)
REPLAY_BINS  := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay/%)
FUZZ_SECONDS ?= 60

define fuzz_target
$(BUILD)/fuzz/$(1).o: CPPFLAGS += -I$(call module_dir,$(call fuzz_module,$(1)))
$(BUILD)/fuzz/$(1): $(BUILD)/fuzz/$(1).o $(call module_objs,$(call fuzz_module,$(1))) $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $$@ $$^ $$(LDLIBS)
$(BUILD)/fuzz/replay/$(1): $(BUILD)/fuzz/$(1).o $(BUILD)/fuzz/driver/replay.o \
                          $(call module_objs,$(call fuzz_module,$(1))) $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach f,$(FUZZ_NAMES),$(eval $(call fuzz_target,$(f))))

.PHONY: fuzz fuzz-bins fuzz-replay fuzz-replay-bins
fuzz-bins: $(FUZZ_BINS)
fuzz-replay-bins: $(REPLAY_BINS)

# Each target for FUZZ_SECONDS from its corpus; new finds go to
# build-fuzz/corpus/<target> (minimise with -merge=1 before committing).
fuzz:
	$(MAKE) -j2 BUILD=build-fuzz CC=clang FUZZ=1 fuzz-bins
	scripts/fuzz.sh run $(FUZZ_SECONDS)

fuzz-replay:
	$(MAKE) -j2 SAN=1 fuzz-replay-bins
	scripts/fuzz.sh replay

# --- the two commands of the README, and friends ---------------------------

deps:
	scripts/setup.sh

run: deps
	$(MAKE) -j2 all
	scripts/stack.sh up --demo
	scripts/stack.sh hint

stop:
	scripts/stack.sh down

test: deps
	$(MAKE) -j2 all
	scripts/test.sh

test-unit: all
	scripts/test.sh --unit-only

test-e2e: all
	scripts/test.sh --e2e-only

# Three Kafka nodes (replication factor 3, min.insync.replicas 2), one
# SIGKILLed mid-fan-out: tests/cluster, results in docs/operations.md.
test-cluster: deps
	$(MAKE) -j2 all
	BND_KAFKA_NODES=3 BND_E2E_DIR=tests/cluster scripts/test.sh --e2e-only

bench: deps
	$(MAKE) -j2 all
	bench/run.sh

lint:
	cppcheck --quiet --enable=warning,performance,portability --std=c17 \
	    --suppress=missingIncludeSystem -Icommon common services tools tests/fakes

FORMAT_BASE ?= HEAD
format:
	git clang-format --force --extensions c,h $(FORMAT_BASE)

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

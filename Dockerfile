# One image for every Banditore binary; the command picks the service.
#
#   docker build -t banditore .                    runtime: the services and banditorectl
#   docker build --target demo -t banditore-demo . the same plus the fake WhatsApp and
#                                                  Telegram servers (docker-compose.yml)
#   docker run banditore banditore-ingest
#
# Build arguments VERSION, REVISION, CREATED and SOURCE fill the OCI labels
# (e.g. --build-arg VERSION=1.4.0 --build-arg REVISION=$(git rev-parse HEAD)
#  --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)).
# The runtime packages are the shared libraries the binaries link
# (tests/deploy/dockerfile_check.sh checks both against the build here).

FROM debian:bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        build-essential pkg-config protobuf-c-compiler libprotobuf-c-dev librdkafka-dev \
        libpq-dev libcurl4-openssl-dev libevent-dev libjansson-dev libssl-dev libxml2-dev libsodium-dev \
        libqrencode-dev \
        curl ca-certificates openssl \
    && rm -rf /var/lib/apt/lists/*
# No .git here: banditorectl --version says the image's VERSION.
ARG VERSION=dev
WORKDIR /src
COPY Makefile ./
COPY common common
COPY proto proto
COPY services services
COPY tools tools
COPY tests/fakes tests/fakes
# The editors' console: its files and Bootstrap Italia's dist (the pinned npm
# tarball, integrity checked), as make lays them out in build/console.
COPY web web
COPY scripts/npm-assets.sh scripts/npm-assets.sh
RUN scripts/npm-assets.sh .local/npm bootstrap-italia && make console \
    && mkdir -p /out && cp -R build/console /out/console
RUN make -j"$(nproc)" BND_VERSION="$VERSION" build/bin/banditore-ingest build/bin/banditore-subscriptions \
        build/bin/banditore-composer build/bin/banditore-dispatcher build/bin/banditore-feeds \
        build/bin/banditorectl build/bin/fake-whatsapp build/bin/fake-telegram build/bin/fake-cap \
    && mkdir -p /out/bin /out/fakes \
    && cp build/bin/banditore-* build/bin/banditorectl /out/bin/ \
    && cp build/bin/fake-whatsapp build/bin/fake-telegram build/bin/fake-cap /out/fakes/

# What every image shares: the libraries, the migrations, a user without a home.
FROM debian:bookworm-slim AS base
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
# The repository the image is built from (as in publiccode.yml: url).
ARG SOURCE=https://git.example.org/banditore/banditore
LABEL org.opencontainers.image.title="Banditore" \
      org.opencontainers.image.description="Public-interest notices of Italian comuni to citizens on WhatsApp and Telegram: ingest, subscriptions, composer, dispatcher and banditorectl" \
      org.opencontainers.image.licenses="EUPL-1.2" \
      org.opencontainers.image.source="$SOURCE" \
      org.opencontainers.image.documentation="$SOURCE/-/blob/main/docs/operations.md" \
      org.opencontainers.image.vendor="Banditore" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.created="$CREATED"
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        librdkafka1 libpq5 libcurl4 libevent-2.1-7 libevent-pthreads-2.1-7 libjansson4 \
        libprotobuf-c1 libssl3 libxml2 libsodium23 libqrencode4 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin banditore
COPY db/migrations /usr/share/banditore/migrations
COPY services/feeds/cap-1.2.xsd /usr/share/banditore/cap-1.2.xsd
COPY --from=build /out/bin/ /usr/local/bin/
COPY --from=build /out/console /usr/share/banditore/console
ENV BND_MIGRATIONS_DIR=/usr/share/banditore/migrations \
    BND_CONSOLE_DIR=/usr/share/banditore/console \
    BND_CAP_SCHEMA=/usr/share/banditore/cap-1.2.xsd \
    BND_HTTP_ADDR=0.0.0.0
USER 10001:10001

# The demo image: the runtime plus the fake providers (never for production).
FROM base AS demo
COPY --from=build /out/fakes/ /usr/local/bin/
COPY tests/fakes/fake-cap/samples /usr/share/banditore/cap-samples
ENV FAKE_CAP_DIR=/usr/share/banditore/cap-samples
LABEL org.opencontainers.image.title="Banditore (demo, with fake providers)"

# The runtime image: the default target.
FROM base AS runtime

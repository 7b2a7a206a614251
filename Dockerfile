# One image for every Banditore binary; the command picks the service.
#   docker build -t banditore .
#   docker run banditore banditore-ingest
FROM debian:bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        build-essential pkg-config protobuf-c-compiler libprotobuf-c-dev librdkafka-dev \
        libpq-dev libcurl4-openssl-dev libevent-dev libjansson-dev libssl-dev libcmocka-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY common common
COPY proto proto
COPY services services
COPY tools tools
COPY tests/fakes tests/fakes
RUN make -j"$(nproc)" build/bin/banditore-ingest build/bin/banditore-subscriptions \
        build/bin/banditore-composer build/bin/banditore-dispatcher build/bin/banditorectl \
        build/bin/fake-whatsapp

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        librdkafka1 libpq5 libcurl4 libevent-2.1-7 libevent-pthreads-2.1-7 libjansson4 \
        libprotobuf-c1 libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home banditore
COPY --from=build /src/build/bin/ /usr/local/bin/
COPY db/migrations /usr/share/banditore/migrations
ENV BND_MIGRATIONS_DIR=/usr/share/banditore/migrations \
    BND_HTTP_ADDR=0.0.0.0
USER 10001

# syntax=docker/dockerfile:1
# lurewatch: one binary, cgo for SQLite. Build: docker build -t lurewatch .
# (or without a Docker engine: make docker, which uses buildah).

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/lurewatch ./cmd/lurewatch \
 && mkdir -p /out/data

# distroless base has glibc (which cgo's SQLite needs) and a nonroot user.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/lurewatch /usr/local/bin/lurewatch
COPY configs/ /etc/lurewatch/
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
ENTRYPOINT ["/usr/local/bin/lurewatch"]
CMD ["run", "--config", "/etc/lurewatch/container.yaml"]

# The rocklet bundle as an image, for the Kubernetes driver's init container: it copies the bundle
# into the pod's emptyDir at /rock, from which the sandbox container (any user image) runs
#   /rock/lib/ld-linux-x86-64.so.2 --library-path /rock/lib /rock/bin/node /rock/rocklet.js --port 22555
# No base image and no shell: the bundled node does the copy. No registry is needed to build it.
# Build (context = the bundle): bash scripts/rocklet-bundle.sh --image
#   or: docker build -f docker/rocklet-runtime.Dockerfile -t rock-rocklet-runtime:latest dist/rocklet-runtime
FROM scratch
ARG BUNDLE_HASH=unknown
LABEL org.opencontainers.image.title="rock-rocklet-runtime" rock.bundle.hash="${BUNDLE_HASH}"
COPY . /rocklet-runtime/
ENTRYPOINT ["/rocklet-runtime/lib/ld-linux-x86-64.so.2", "--library-path", "/rocklet-runtime/lib", "/rocklet-runtime/bin/node", "-e", "const [to = '/rock'] = process.argv.slice(1); require('node:fs').cpSync('/rocklet-runtime', to, { recursive: true }); console.log(`rocklet bundle copied to ${to}`);"]
CMD ["/rock"]

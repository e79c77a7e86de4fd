#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make prepare-packages: the bookworm root of the package lanes
# (tests/pkg/e2e.sh, tests/pkg/autopkgtest.sh), built into the cache and
# nothing else: no package, no guest. .ci/run starts it in the background
# beside its first lane; a lane that needs the root meanwhile waits for it
# (tests/pkg/lib.sh, root_tarball).
#
# Needs root (mmdebstrap). The environment is tests/pkg/lib.sh's.

set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh" root "$@"

K61=
K612=
run tarball "bookworm root: 6.1 kernel + headers + dkms (cached)" root_tarball
run_summary root

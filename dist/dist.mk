# dist/ — what a Debian administrator installs: the systemd unit
# (scrutin.service) and the users it runs as (scrutin.sysusers).
#
#   make check-unit   measures the unit (systemd-analyze security, at most
#                     2.0, printed) and, as root, runs its ExecStart under
#                     the unit's users and capabilities (tests/dist/unit.sh)

.PHONY: check-unit
check-unit: all
	@BUILD="$(BUILD)" sh tests/dist/unit.sh

TEST_SCRIPTS += tests/dist/unit.sh

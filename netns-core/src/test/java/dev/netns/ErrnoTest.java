package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.internal.Errno;
import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void permissionErrorsNameSyscallArgumentErrnoAndCapability() {
        NetnsException e = Errno.failure("setns", "fd=12, CLONE_NEWNET", Errno.EPERM, null);
        assertThat(e).isInstanceOf(NamespacePermissionException.class)
                .hasMessageStartingWith("setns(fd=12, CLONE_NEWNET) failed: EPERM (")
                .hasMessageContaining("CAP_SYS_ADMIN");
        assertThat(e.errno()).isEqualTo(1);
        assertThat(e.errnoName()).isEqualTo("EPERM");
        assertThat(Errno.failure("open", "/proc/1/ns/net", Errno.EACCES, null))
                .isInstanceOf(NamespacePermissionException.class).hasMessageContaining("CAP_SYS_ADMIN");
    }

    @Test
    void anotherProcesssNamespaceNamesPtraceAccessNotCapSysAdminAlone() {
        // /proc/PID/ns is guarded by the ptrace access check, which CAP_SYS_ADMIN does not pass.
        assertThat(Errno.failure("open", "/proc/42/ns/net", Errno.EACCES, "Process 42"))
                .hasMessageContaining("ptrace access").hasMessageContaining("CAP_SYS_PTRACE")
                .hasMessageContaining("CAP_SYS_ADMIN alone is not enough");
        assertThat(Errno.failure("open", "/run/netns/blue", Errno.EACCES, null)).hasMessageNotContaining("CAP_SYS_PTRACE");
    }

    @Test
    void missingThingsAreNotFoundAndTakenNamesExist() {
        assertThat(Errno.failure("open", "/proc/99999999/ns/net", Errno.ENOENT, "Process 99999999"))
                .isInstanceOf(NamespaceNotFoundException.class)
                .hasMessage("Process 99999999: open(/proc/99999999/ns/net) failed: ENOENT (No such file or directory)");
        assertThat(Errno.failure("open", "/run/netns/x", Errno.EEXIST, null)).isInstanceOf(NamespaceExistsException.class);
    }

    @Test
    void socketAndNetlinkFailuresGetNoCapabilityHint() {
        // Reading interfaces needs no capability, so pointing at CAP_SYS_ADMIN would mislead.
        assertThat(Errno.failure("RTM_GETLINK", "NLM_F_REQUEST|NLM_F_DUMP", Errno.EACCES, null))
                .isInstanceOf(NamespacePermissionException.class)
                .hasMessage("RTM_GETLINK(NLM_F_REQUEST|NLM_F_DUMP) failed: EACCES (Permission denied)");
        assertThat(Errno.failure("socket", "AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE", Errno.EPERM, null))
                .hasMessageNotContaining("CAP_SYS_ADMIN");
        assertThat(Errno.name(Errno.ENOBUFS)).isEqualTo("ENOBUFS");
    }

    @Test
    void otherErrnosAreNetnsExceptionsWithTheirName() {
        NetnsException e = Errno.failure("setns", "fd=3, CLONE_NEWNET", Errno.EINVAL, null);
        assertThat(e.getClass()).isEqualTo(NetnsException.class);
        assertThat(e.errnoName()).isEqualTo("EINVAL");
        assertThat(Errno.name(250)).isEqualTo("errno 250");
        assertThat(Errno.failure("open", "/x", Errno.EMFILE, null)).hasMessageContaining("EMFILE").hasMessageContaining("too many open files");
    }
}

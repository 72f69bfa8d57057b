package dev.netns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessPrivilegesTests {

    private static String status(String uid, String capEff) {
        return "Name:\tjava\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\nGid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\n"
                + "CapEff:\t" + capEff + "\nCapBnd:\t000001ffffffffff\n";
    }

    @Test
    void rootWithOnlyCapSysPtraceIsNotToldToRunAsRoot() {
        ProcessPrivileges privileges = ProcessPrivileges.parse(status("0", "0000000000080000"));
        assertThat(privileges.realUid()).isZero();
        assertThat(privileges.hasCapSysPtrace()).isTrue();
        assertThat(privileges.hasCapSysAdmin()).isFalse();
        assertThat(privileges.hint()).contains("runs as root but without CAP_SYS_ADMIN", "CapEff 0x80000")
                .doesNotContain("run it as root");
    }

    @Test
    void aUserWithoutCapabilitiesIsToldToRunAsRootOrGrantTheCapability() {
        ProcessPrivileges privileges = ProcessPrivileges.parse(status("65534", "0000000000000000"));
        assertThat(privileges.hint()).contains("uid 65534", "run it as root, or grant it CAP_SYS_ADMIN");
    }

    @Test
    void capSysAdminWithoutCapSysPtraceNamesTheMissingOne() {
        ProcessPrivileges privileges = ProcessPrivileges.parse(status("1000", "0000000000200000"));
        assertThat(privileges.hasCapSysAdmin()).isTrue();
        assertThat(privileges.hint()).contains("not CAP_SYS_PTRACE").doesNotContain("root");
        assertThat(ProcessPrivileges.parse(status("0", "000001ffffffffff")).hint()).isEmpty();
    }

    @Test
    void currentReadsThisProcessesStatus() throws Exception {
        ProcessPrivileges current = ProcessPrivileges.current();
        String status = Files.readString(Path.of("/proc/self/status"));
        assertThat(current).isEqualTo(ProcessPrivileges.parse(status));
        assertThat(current.known()).isTrue();
        assertThat(ProcessPrivileges.parse("Name:\tx\n").known()).isFalse();
        assertThat(ProcessPrivileges.parse("Name:\tx\n").hint()).isEmpty();
    }
}

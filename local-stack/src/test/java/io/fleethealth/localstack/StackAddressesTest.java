package io.fleethealth.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackAddressesTest {

    @TempDir
    Path dir;

    @Test
    void shouldChooseThePortsOnceAndGiveTheSameOnesBack() {
        StackAddresses first = StackAddresses.loadOrChoose(dir);
        StackAddresses again = StackAddresses.loadOrChoose(dir);

        assertThat(again).isEqualTo(first);
        assertThat(dir.resolve(StackAddresses.FILE_NAME)).isRegularFile();
        assertThat(first.bootstrapServers()).isEqualTo("127.0.0.1:" + first.brokerPort());
    }

    @Test
    void shouldNameThePortAndTheFileWhenARememberedPortIsTaken() throws Exception {
        StackAddresses addresses = StackAddresses.loadOrChoose(dir);
        try (ServerSocket squatter = new ServerSocket(addresses.registryPort(), 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> addresses.checkFree(dir))
                    .hasMessageContaining("port " + addresses.registryPort())
                    .hasMessageContaining(StackAddresses.FILE_NAME)
                    .hasMessageContaining("--fresh");
        }
        addresses.checkFree(dir);
    }

    @Test
    void shouldSayWhichKeyIsBrokenInAHandEditedFile() throws Exception {
        Files.writeString(dir.resolve(StackAddresses.FILE_NAME), "broker.port=9092\ncontroller.port=x\nregistry.port=1\n");

        assertThatThrownBy(() -> StackAddresses.loadOrChoose(dir)).hasMessageContaining("controller.port")
                .hasMessageContaining("'x'");
    }
}

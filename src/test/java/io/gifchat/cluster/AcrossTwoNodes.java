package io.gifchat.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class on one two-node cluster for all its tests: {@link #start()} says which, {@code a} and {@code b} are
 * its nodes, and what a test opens through {@link #tab} is closed after it. A failure carries the nodes' ERROR log
 * entries ({@link NodeLogsOnFailure}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NodeLogsOnFailure.class)
abstract class AcrossTwoNodes {

    ClusterRun cluster;
    NodeProcess a;
    NodeProcess b;
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

    /** The cluster this class runs on, started once for all its tests. */
    abstract ClusterRun start();

    @BeforeAll
    void startCluster() {
        cluster = start();
        a = cluster.node(0);
        b = cluster.node(1);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeTabs() throws Exception {
        for (AutoCloseable tab : opened) {
            tab.close();
        }
        opened.clear();
    }

    /** Closed after this test. */
    <T extends AutoCloseable> T tab(T tab) {
        opened.add(tab);
        return tab;
    }
}

package dev.jvmm.memory.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PosixTest {

    @Test
    void openOfAMissingFileNamesPathErrnoAndHint() {
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> Posix.open("/dev/does-not-exist-jvmm", Posix.O_RDWR));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("ENOENT", e.errnoName());
        assertTrue(e.getMessage().startsWith("open (/dev/does-not-exist-jvmm) failed: ENOENT (2)"), e.getMessage());
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
    }

    @Test
    void memfdMappingIsSharedWithTheFileAndUnmapsOnClose() {
        try (Fd memfd = Posix.memfdCreate("posix-test", Posix.MFD_CLOEXEC)) {
            Posix.ftruncate(memfd, 2 * 4096);
            Mapping m = Posix.mmap(2 * 4096, Posix.PROT_READ | Posix.PROT_WRITE, Posix.MAP_SHARED, memfd, 0, "test");
            m.segment().set(JAVA_LONG, 4096, 0x1122334455667788L);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(8);
                assertEquals(8, Posix.pread(memfd, buf, 4096));
                assertEquals(0x1122334455667788L, buf.get(JAVA_LONG, 0));
                buf.set(JAVA_LONG, 0, 42L);
                assertEquals(8, Posix.pwrite(memfd, buf, 0));
            }
            assertEquals(42L, m.segment().get(JAVA_LONG, 0));
            m.close();
            assertFalse(m.isOpen());
            assertThrows(IllegalStateException.class, () -> m.segment().get(JAVA_LONG, 0));
        }
    }

    @Test
    void closedFdRefusesRawUseAndClosesOnce() {
        Fd fd = Posix.eventfd(0, Posix.EFD_CLOEXEC, "once");
        fd.close();
        fd.close();
        assertFalse(fd.isOpen());
        assertThrows(IllegalStateException.class, fd::raw);
    }

    @Test
    void eventfdCountsAndPollSeesIt() {
        try (Fd efd = Posix.eventfd(0, Posix.EFD_CLOEXEC | Posix.EFD_NONBLOCK, "count");
             Arena a = Arena.ofConfined()) {
            assertNull(Posix.poll(new Fd[] {efd}, Posix.POLLIN, 0));
            MemorySegment v = a.allocate(8);
            assertEquals(-Errno.EAGAIN, Posix.readErrno(efd, v));
            v.set(JAVA_LONG, 0, 3);
            assertEquals(8, Posix.writeErrno(efd, v));
            assertEquals(8, Posix.writeErrno(efd, v));
            short[] revents = Posix.poll(new Fd[] {efd}, Posix.POLLIN, 1000);
            assertNotNull(revents);
            assertEquals(Posix.POLLIN, revents[0] & Posix.POLLIN);
            assertEquals(8, Posix.readErrno(efd, v));
            assertEquals(6, v.get(JAVA_LONG, 0));
        }
    }

    @Test
    void ioctlOnAWrongDescriptorCarriesErrnoAndRequestName() {
        try (Fd efd = Posix.eventfd(0, 0, "not-a-tty")) {
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> Posix.ioctl(efd, 0x5401 /* TCGETS */, MemorySegment.NULL, "TCGETS"));
            assertEquals(Errno.ENOTTY, e.errno());
            assertTrue(e.getMessage().contains("TCGETS (eventfd:not-a-tty) failed: ENOTTY (25)"), e.getMessage());
            assertTrue(Posix.ioctlErrno(efd, 0x5401, 0L) < 0);
        }
    }

    @Test
    void rlimitsRoundTrip() {
        Posix.Rlimit memlock = Posix.getrlimit(Posix.RLIMIT_MEMLOCK);
        Posix.setrlimit(Posix.RLIMIT_MEMLOCK, memlock);
        assertEquals(memlock, Posix.getrlimit(Posix.RLIMIT_MEMLOCK));
        assertTrue(new Posix.Rlimit(Posix.RLIM_INFINITY, Posix.RLIM_INFINITY).currentAtLeast(Long.MAX_VALUE));
        assertFalse(new Posix.Rlimit(4096, 4096).currentAtLeast(8192));
    }

    @Test
    void kickStaysPendingWhileBlockedAndIsConsumedOnce() throws Exception {
        AtomicLong pthread = new AtomicLong();
        AtomicBoolean consumedAfterKick = new AtomicBoolean();
        AtomicBoolean consumedTwice = new AtomicBoolean(true);
        AtomicLong savedMask = new AtomicLong();
        java.util.concurrent.atomic.AtomicInteger drained = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch kicked = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            savedMask.set(ThreadSignals.blockKickSignal());
            pthread.set(ThreadSignals.currentThread());
            ready.countDown();
            try {
                kicked.await();
            } catch (InterruptedException e) {
                return;
            }
            consumedAfterKick.set(ThreadSignals.consumePendingKick());
            drained.set(ThreadSignals.drainPendingKicks());
            consumedTwice.set(ThreadSignals.consumePendingKick());
        });
        assertTrue(ready.await(5, TimeUnit.SECONDS));
        assertTrue(ThreadSignals.kick(pthread.get()));
        assertTrue(ThreadSignals.kick(pthread.get()));
        kicked.countDown();
        t.join(5000);
        assertTrue(consumedAfterKick.get(), "the blocked kick must stay pending until consumed");
        assertEquals(1, drained.get(), "real-time kicks queue: the second one is still pending");
        assertFalse(consumedTwice.get(), "a kick is consumed once");
        assertEquals(0, savedMask.get() & ThreadSignals.bit(ThreadSignals.KICK_SIGNAL),
                "the mask for KVM_RUN must leave the kick signal unblocked");
    }

    @Test
    void errnoNamesAreKnownAndUnknownOnesAreNumbered() {
        assertEquals("EINVAL", Errno.name(22));
        assertEquals("EHWPOISON", Errno.name(133));
        assertEquals("errno 999", Errno.name(999));
        ErrnoException e = new ErrnoException(Errno.ENOMEM, "VFIO_IOMMU_MAP_DMA", "group 7", null)
                .withContext("IOVA 0x0-0x1fffffff").withFix("raise RLIMIT_MEMLOCK to at least 536870912 bytes");
        assertEquals("VFIO_IOMMU_MAP_DMA (group 7, IOVA 0x0-0x1fffffff) failed: ENOMEM (12). "
                + "Fix: raise RLIMIT_MEMLOCK to at least 536870912 bytes", e.getMessage());
    }
}

package io.smeflow.secrets.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2024-05-01T11:00:00Z");
    private static final Instant T2 = Instant.parse("2024-05-01T12:00:00Z");

    private final List<Condition> conditions = new ArrayList<>();

    private Condition ready() {
        return Conditions.find(conditions, Conditions.READY).orElseThrow();
    }

    @Test
    void setAddsAConditionWithAllFields() {
        Conditions.set(
                conditions, Conditions.READY, true, Conditions.REASON_SYNCED, "synced", 3L, T0);

        assertEquals(1, conditions.size());
        Condition c = ready();
        assertEquals(Conditions.READY, c.getType());
        assertEquals("True", c.getStatus());
        assertEquals(Conditions.REASON_SYNCED, c.getReason());
        assertEquals("synced", c.getMessage());
        assertEquals(3L, c.getObservedGeneration());
        assertEquals(T0.toString(), c.getLastTransitionTime());
    }

    @Test
    void falseStatusIsWrittenAsFalse() {
        Conditions.set(
                conditions, Conditions.SYNCED, false, Conditions.REASON_NOT_FOUND, "m", 1L, T0);
        assertEquals("False", Conditions.find(conditions, Conditions.SYNCED).get().getStatus());
    }

    @Test
    void lastTransitionTimeIsKeptWhenStatusIsUnchangedEvenIfReasonAndMessageChange() {
        Conditions.set(
                conditions,
                Conditions.READY,
                false,
                Conditions.REASON_VAULT_UNAVAILABLE,
                "vault down",
                1L,
                T0);
        Conditions.set(
                conditions,
                Conditions.READY,
                false,
                Conditions.REASON_ACCESS_DENIED,
                "403 from vault",
                2L,
                T1);

        assertEquals(1, conditions.size());
        Condition c = ready();
        assertEquals(T0.toString(), c.getLastTransitionTime());
        assertEquals(Conditions.REASON_ACCESS_DENIED, c.getReason());
        assertEquals("403 from vault", c.getMessage());
        assertEquals(2L, c.getObservedGeneration());
    }

    @Test
    void lastTransitionTimeChangesWhenStatusFlips() {
        Conditions.set(conditions, Conditions.READY, false, "A", "a", 1L, T0);
        Conditions.set(conditions, Conditions.READY, true, "B", "b", 1L, T1);
        assertEquals(T1.toString(), ready().getLastTransitionTime());
        assertEquals("True", ready().getStatus());

        Conditions.set(conditions, Conditions.READY, true, "B", "b", 1L, T2);
        assertEquals(T1.toString(), ready().getLastTransitionTime());

        Conditions.set(conditions, Conditions.READY, false, "A", "a", 1L, T2);
        assertEquals(T2.toString(), ready().getLastTransitionTime());
        assertEquals("False", ready().getStatus());
        assertEquals(1, conditions.size());
    }

    @Test
    void observedGenerationIsSetOnEveryUpdate() {
        Conditions.set(conditions, Conditions.READY, true, "R", "m", 4L, T0);
        assertEquals(4L, ready().getObservedGeneration());
        Conditions.set(conditions, Conditions.READY, true, "R", "m", 7L, T1);
        assertEquals(7L, ready().getObservedGeneration());
    }

    @Test
    void setReplacesInPlaceAndLeavesOtherTypesAlone() {
        Conditions.set(conditions, Conditions.READY, true, "R", "m", 1L, T0);
        Conditions.set(conditions, Conditions.SYNCED, true, "S", "s", 1L, T0);
        Conditions.set(conditions, Conditions.ROTATED, false, "X", "x", 1L, T0);

        Conditions.set(conditions, Conditions.SYNCED, false, "S2", "s2", 2L, T1);

        assertEquals(3, conditions.size());
        assertEquals(Conditions.READY, conditions.get(0).getType());
        assertEquals(Conditions.SYNCED, conditions.get(1).getType());
        assertEquals(Conditions.ROTATED, conditions.get(2).getType());
        assertEquals("S2", conditions.get(1).getReason());
        assertEquals(T0.toString(), conditions.get(0).getLastTransitionTime());
        assertEquals(T0.toString(), conditions.get(2).getLastTransitionTime());
        assertEquals(T1.toString(), conditions.get(1).getLastTransitionTime());
    }

    @Test
    void findReturnsEmptyForAnAbsentType() {
        assertEquals(Optional.empty(), Conditions.find(conditions, Conditions.READY));
        Conditions.set(conditions, Conditions.SYNCED, true, "S", "s", 1L, T0);
        assertEquals(Optional.empty(), Conditions.find(conditions, Conditions.READY));
        assertTrue(Conditions.find(conditions, Conditions.SYNCED).isPresent());
    }

    @Test
    void removeDropsOnlyThatType() {
        Conditions.set(conditions, Conditions.READY, true, "R", "m", 1L, T0);
        Conditions.set(conditions, Conditions.INVALID_SPEC, true, "Refused", "bad", 1L, T0);

        Conditions.remove(conditions, Conditions.INVALID_SPEC);

        assertEquals(Optional.empty(), Conditions.find(conditions, Conditions.INVALID_SPEC));
        assertTrue(Conditions.find(conditions, Conditions.READY).isPresent());
        assertEquals(1, conditions.size());
    }

    @Test
    void removeOfAnAbsentTypeIsANoOp() {
        Conditions.set(conditions, Conditions.READY, true, "R", "m", 1L, T0);
        Conditions.remove(conditions, Conditions.TENANCY_VIOLATION);
        assertEquals(1, conditions.size());
    }

    @Test
    void setAfterRemoveStartsANewTransition() {
        Conditions.set(conditions, Conditions.READY, true, "R", "m", 1L, T0);
        Conditions.remove(conditions, Conditions.READY);
        Conditions.set(conditions, Conditions.READY, true, "R", "m", 1L, T1);
        assertEquals(T1.toString(), ready().getLastTransitionTime());
    }

    @Test
    void isTrueReflectsStatusAndAbsence() {
        assertFalse(Conditions.isTrue(conditions, Conditions.READY));
        Conditions.set(conditions, Conditions.READY, true, "R", "m", 1L, T0);
        assertTrue(Conditions.isTrue(conditions, Conditions.READY));
        Conditions.set(conditions, Conditions.READY, false, "R", "m", 1L, T1);
        assertFalse(Conditions.isTrue(conditions, Conditions.READY));
        assertFalse(Conditions.isTrue(conditions, Conditions.SYNCED));
    }

    @Test
    void reasonReturnsTheCurrentReason() {
        assertEquals(Optional.empty(), Conditions.reason(conditions, Conditions.READY));
        Conditions.set(conditions, Conditions.READY, false, "First", "m", 1L, T0);
        Conditions.set(conditions, Conditions.READY, false, "Second", "m", 1L, T1);
        assertEquals(Optional.of("Second"), Conditions.reason(conditions, Conditions.READY));
    }
}

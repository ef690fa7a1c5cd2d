package io.gifchat.limits;

/** A budget held by its owner (one connection's frames) rather than looked up in a map on every use. */
@FunctionalInterface
public interface Allowance {

    Allowance UNLIMITED = () -> true;

    /** Spends one unit; false when the budget is spent. */
    boolean trySpend();
}

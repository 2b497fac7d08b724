package io.sluice.catalog;

import java.util.Locale;

/**
 * The kinds of schema object Sluice tracks, in the order objects are created when reconciling (drops run in the
 * reverse order).
 */
public enum ObjectKind {
    SCHEMA,
    EXTENSION,
    ENUM,
    DOMAIN,
    COMPOSITE_TYPE,
    SEQUENCE,
    TABLE,
    COLUMN,
    CONSTRAINT,
    INDEX,
    FUNCTION,
    VIEW,
    MATERIALIZED_VIEW,
    TRIGGER,
    POLICY;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}

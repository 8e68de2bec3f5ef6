package org.critmin.ingest;

import java.io.Serializable;
import java.util.BitSet;
import java.util.Set;
import org.critmin.config.CritminConfig;

/**
 * What a reader on an executor needs to classify one file's records: the file's layout, the HS6
 * codes of the mineral map (as a bitset over 0..999999), the known reporter codes, and the limits
 * of one record (raw text kept when rejected, plausible value and weight).
 */
record ParseContext(FileLayout layout, BitSet mappedHs6, Set<Integer> countryCodes,
    CritminConfig.IngestLimits limits) implements Serializable {}

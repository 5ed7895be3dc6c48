package io.glisk.ops;

import java.util.List;
import java.util.Set;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.AllowAllRestrictor;

/**
 * What nobody may do through Jolokia, the admin included: the JMX operations that run code in this JVM, write
 * files or change how the JVM runs. No operator task here needs them, and a stolen admin password should not
 * turn into code execution. Jolokia's restrictor ({@code restrictorClass} in application.yml); who may do what
 * else is decided before Jolokia, by {@link AdminSecurity} and {@link ReadOnlyJolokia}.
 * <p>
 * Jolokia hands over the MBean name as it parsed it, so the comparison is by {@link ObjectName} (key order does
 * not matter; a quoted value names another MBean, one that does not exist). A refusal is Jolokia's own error
 * answer, status 403 in the JSON; the other requests of a bulk request still run.
 */
public final class JolokiaDenyList extends AllowAllRestrictor {

    /** No operation and no attribute write, whatever its name. */
    private static final List<ObjectName> LOCKED = List.of(
            // jcmd over JMX: jvmtiAgentLoad loads an agent; compilerDirectivesAdd, vmLog, jfrStart and gcHeapDump
            // write files
            name("com.sun.management:type=DiagnosticCommand"),
            // dumpHeap writes the heap (every secret in memory) to a file; setVMOption changes the JVM
            name("com.sun.management:type=HotSpotDiagnostic"),
            // recordings written to files of the caller's choosing
            name("jdk.management.jfr:type=FlightRecorder"),
            // the MBean server itself
            name("JMImplementation:*"));

    /** No attribute write: verbose GC and class loading, thread monitoring, memory pool thresholds. */
    private static final ObjectName JVM = name("java.lang:*");

    /**
     * Camel's producer template: a message to any endpoint URI, so {@code file:} writes a file, {@code sql:} runs
     * SQL against the pipeline's database, {@code http:} calls any host. The routes send what they need; an
     * operator resends through the admin API.
     */
    private static final ObjectName CAMEL_CONTEXT = name("org.apache.camel:type=context,*");
    private static final Set<String> CAMEL_SENDS = Set.of(
            "sendBody", "sendStringBody", "sendBodyAndHeaders", "requestBody", "requestStringBody", "requestBodyAndHeaders");

    @Override
    public boolean isOperationAllowed(ObjectName mbean, String operation) {
        return !reachesAnything(mbean) && !locked(mbean)
                && !(CAMEL_CONTEXT.apply(mbean) && CAMEL_SENDS.contains(operationName(operation)));
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName mbean, String attribute) {
        return !reachesAnything(mbean) && !locked(mbean) && !JVM.apply(mbean);
    }

    /**
     * An exec on a name pattern runs on every MBean the pattern matches, but Jolokia asks about the pattern only:
     * {@code com.sun.management:type=DiagnosticCommand,*} would pass any check of the names above.
     */
    private static boolean reachesAnything(ObjectName mbean) {
        return mbean == null || mbean.isPattern();
    }

    private static boolean locked(ObjectName mbean) {
        return LOCKED.stream().anyMatch(locked -> locked.apply(mbean));
    }

    /** {@code sendBody(java.lang.String,java.lang.Object)} is {@code sendBody}: Jolokia accepts both. */
    private static String operationName(String operation) {
        if (operation == null) {
            return "";
        }
        int signature = operation.indexOf('(');
        return signature < 0 ? operation : operation.substring(0, signature);
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(name, e);
        }
    }
}

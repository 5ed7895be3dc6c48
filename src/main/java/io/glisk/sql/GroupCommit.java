package io.glisk.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.component.sql.SqlPrepareStatementStrategy;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One statement executed for many callers at once, in one transaction: whoever finds no write under way takes
 * every execution queued so far and writes them as one JDBC batch, while the executions that arrive meanwhile
 * queue for the next. No caller waits for company (a lone execution is written at once), and each gets its own
 * update count. A batch the database refuses is written again one execution at a time, so a bad one fails alone;
 * a database that did not answer fails them all with its own error, each caller then deciding as it would for
 * a single statement.
 */
final class GroupCommit {

    private final JdbcTemplate jdbc;
    private final String statement;
    private final SqlPrepareStatementStrategy parameters;
    private final int parameterCount;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private List<Execution> queued = new ArrayList<>();
    private boolean writing;

    GroupCommit(JdbcTemplate jdbc, String statement, SqlPrepareStatementStrategy parameters, int parameterCount) {
        this.jdbc = jdbc;
        this.statement = statement;
        this.parameters = parameters;
        this.parameterCount = parameterCount;
    }

    /** The statement as JDBC runs it (named parameters replaced by ?). */
    String statement() {
        return statement;
    }

    int parameterCount() {
        return parameterCount;
    }

    /** Executes the statement with these parameter values once it is committed; answers its update count. */
    int execute(List<Object> values) {
        Execution mine = new Execution(values);
        List<Execution> batch;
        lock.lock();
        try {
            queued.add(mine);
            while (writing && !mine.done) {
                // a write takes a millisecond or so: not worth leaving half done when interrupted
                written.awaitUninterruptibly();
            }
            if (mine.done) {
                return mine.outcome();
            }
            writing = true;
            batch = queued;
            queued = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        try {
            write(batch);
        } finally {
            lock.lock();
            try {
                writing = false;
                written.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return mine.outcome();
    }

    private void write(List<Execution> batch) {
        if (batch.size() == 1) {
            writeAlone(batch.get(0));
            return;
        }
        int[] counts;
        try {
            counts = jdbc.execute((Connection c) -> inOneTransaction(c, batch));
        } catch (DataAccessException e) {
            if (databaseAway(e)) {
                batch.forEach(execution -> execution.fail(e));
            } else {
                batch.forEach(this::writeAlone);
            }
            return;
        } catch (RuntimeException e) {
            batch.forEach(execution -> execution.fail(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).succeed(counts[i]);
        }
    }

    private int[] inOneTransaction(Connection c, List<Execution> batch) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            for (Execution execution : batch) {
                parameters.populateStatement(ps, execution.values.iterator(), parameterCount);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            c.commit();
            return counts;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void writeAlone(Execution execution) {
        try {
            execution.succeed(jdbc.execute(statement, (PreparedStatement ps) -> {
                parameters.populateStatement(ps, execution.values.iterator(), parameterCount);
                return ps.executeUpdate();
            }));
        } catch (RuntimeException e) {
            execution.fail(e);
        }
    }

    /** The errors the stages wait out (the database down, restarting or unreachable), not a statement's own. */
    private static boolean databaseAway(DataAccessException e) {
        return e instanceof DataAccessResourceFailureException || e instanceof TransientDataAccessResourceException
                || e instanceof RecoverableDataAccessException;
    }

    /** One caller's execution: completed by the writer before it signals, read by its caller after that, under the lock. */
    private static final class Execution {

        final List<Object> values;
        boolean done;
        int count;
        RuntimeException error;

        Execution(List<Object> values) {
            this.values = values;
        }

        void succeed(int updateCount) {
            count = updateCount;
            done = true;
        }

        void fail(RuntimeException e) {
            error = e;
            done = true;
        }

        int outcome() {
            if (error != null) {
                throw error;
            }
            return count;
        }
    }
}

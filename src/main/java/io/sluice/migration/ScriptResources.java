package io.sluice.migration;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Serves a {@link ScriptSet} to Flyway in place of Flyway's own scanning. Besides the scripts it serves, for each
 * script without a {@code .sql.conf} of its own, a generated one that states {@code executeInTransaction} as
 * {@link Transactionality} decided it.
 */
public final class ScriptResources implements ResourceProvider {

    private final ScriptSet scripts;

    public ScriptResources(ScriptSet scripts) {
        this.scripts = scripts;
    }

    @Override
    public LoadableResource getResource(String name) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        var script = scripts.find(path).filter(found -> found.kind() != Script.Kind.UNRECOGNISED);
        if (script.isPresent()) {
            return new InMemoryResource(scripts, script.get().path(), script.get().flywayText());
        }
        if (path.endsWith(".sql.conf")) {
            return scripts.find(path.substring(0, path.length() - ".conf".length()))
                    .map(sql -> new InMemoryResource(scripts, path,
                            "executeInTransaction=" + scripts.isTransactional(sql) + "\n"))
                    .orElse(null);
        }
        return null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        List<LoadableResource> found = new ArrayList<>();
        for (Script script : scripts.all()) {
            String name = script.fileName();
            // Flyway is given migrations only: undo scripts are Sluice's business, and a file of any other name
            // (a callback's, afterConnect.sql) is nothing Flyway may run.
            boolean migration = script.kind() == Script.Kind.VERSIONED || script.kind() == Script.Kind.REPEATABLE;
            if (migration && name.startsWith(prefix) && endsWithAny(name, suffixes)) {
                found.add(new InMemoryResource(scripts, script.path(), script.flywayText()));
            }
        }
        return found;
    }

    private static boolean endsWithAny(String name, String[] suffixes) {
        for (String suffix : suffixes) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** A script's text handed to Flyway; its "absolute path" is the source location plus the relative path. */
    private static final class InMemoryResource extends LoadableResource {
        private final String location;
        private final String path;
        private final String content;

        InMemoryResource(ScriptSet scripts, String path, String content) {
            this.location = scripts.source().location();
            this.path = path;
            this.content = content;
        }

        @Override
        public Reader read() {
            return new StringReader(content);
        }

        @Override
        public String getAbsolutePath() {
            return location + "/" + path;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return getAbsolutePath();
        }

        @Override
        public String getFilename() {
            int slash = path.lastIndexOf('/');
            return slash < 0 ? path : path.substring(slash + 1);
        }

        @Override
        public String getRelativePath() {
            return path;
        }
    }
}

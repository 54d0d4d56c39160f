package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every public type of core (top level and nested) has a javadoc comment: core is the API other
 * tools build on (docs/EMBEDDING.md). The javadoc build itself runs doclint (all groups but
 * "missing", which would also demand a comment on every member) and fails on any warning.
 */
class TestPublicTypesHaveJavadoc {
    @Test
    void everyPublicTypeIsDocumented() throws IOException {
        Path sources = Path.of(System.getProperty("cropcast.project.dir"), "tracking-core", "src", "main", "java");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).hasSizeGreaterThan(50);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> undocumented = new ArrayList<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) compiler.getTask(null, fileManager, null, List.of("-proc:none"), null,
                    fileManager.getJavaFileObjectsFromPaths(files));
            DocTrees docs = DocTrees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitClass(ClassTree type, Void unused) {
                        TreePath path = getCurrentPath();
                        boolean inInterface = path.getParentPath().getLeaf() instanceof ClassTree outer
                                && (outer.getKind() == Tree.Kind.INTERFACE || outer.getKind() == Tree.Kind.ANNOTATION_TYPE);
                        boolean isPublic = type.getModifiers().getFlags().contains(Modifier.PUBLIC) || inInterface;
                        if (isPublic && docs.getDocCommentTree(path) == null) {
                            undocumented.add(Path.of(unit.getSourceFile().toUri()).getFileName() + ": " + type.getSimpleName());
                        }
                        return super.visitClass(type, unused);
                    }
                }.scan(unit, null);
            }
        }
        assertThat(undocumented).as("public types of core without javadoc").isEmpty();
    }
}

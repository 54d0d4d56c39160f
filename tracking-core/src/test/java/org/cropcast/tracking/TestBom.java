package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM ({@code tracking-core/cropcast-bom/pom.xml}) has no parent, so nothing makes it follow
 * the build by itself: this checks that it carries the root pom's version and manages exactly the
 * library modules (every module but the application), each at that version.
 */
class TestBom {
    private static final Path ROOT = Path.of(System.getProperty("cropcast.project.dir"));

    @Test
    void bomFollowsTheRootPom() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("tracking-core/cropcast-bom/pom.xml"));
        String version = child(root.getDocumentElement(), "version");
        assertThat(child(bom.getDocumentElement(), "groupId")).isEqualTo("org.cropcast");
        assertThat(child(bom.getDocumentElement(), "artifactId")).isEqualTo("cropcast-bom");
        assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(version);
        assertThat(bom.getDocumentElement().getElementsByTagName("parent").getLength()).isZero();

        List<String> modules = new ArrayList<>();
        NodeList listed = root.getElementsByTagName("module");
        for (int i = 0; i < listed.getLength(); i++) {
            modules.add(listed.item(i).getTextContent().strip());
        }
        assertThat(modules).contains("tracking-core/cropcast-bom");
        List<String> libraries = modules.stream().filter(m -> !m.equals("pipeline-app") && !m.contains("/")).toList();

        List<String> managed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertThat(child(dependency, "groupId")).isEqualTo("org.cropcast");
            assertThat(child(dependency, "version")).isEqualTo(version);
            managed.add(child(dependency, "artifactId"));
        }
        assertThat(managed).containsExactlyInAnyOrderElementsOf(libraries);
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
    }
}

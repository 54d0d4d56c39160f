import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** Prints the versions of sqlite-jdbc and of the SQLite it embeds, as key=value lines (bench/run.sh). */
public final class Versions {
    private Versions() {}

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT sqlite_version()")) {
            r.next();
            System.out.println("sqlite_jdbc=" + c.getMetaData().getDriverVersion());
            System.out.println("jdbc_sqlite=" + r.getString(1));
        }
    }
}

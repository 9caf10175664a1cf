import { migrate, openDb } from "@onecert/subgraph-kit";
import { accessMigrations } from "./access/identity";
import { startAdminTestServer } from "./admin/testing";
import { main } from "./cli/main";

(async () => {
  const db = openDb();
  await migrate(db, "access", accessMigrations);
  const server = await startAdminTestServer(db);
  const { apiKey, client } = await server.identity.createClient({ name: "root", role: "admin", department: "data-administration-bureau" });
  process.env.ONECERT_URL = server.url + "/graphql";
  process.env.ONECERT_API_KEY = apiKey;
  await main(["client", "create", "--name", "hall-1", "--role", "window", "--department", "government-service-center", "--rate-limit", "100"]);
  await main(["client", "list"]);
  await main(["grant", "request", "--client", client.id, "--fields", "Person.realEstate,Person.idNumber", "--matters", "public-rental-housing", "--until", "2027-06-30", "--reason", "rental housing eligibility"]);
  await main(["grant", "list"]);
  await main(["client", "show", client.id]);
  await server.stop();
  await db.close();
})();

// Run once by the mongo-init service of docker-compose.production.yml: initiates replica set rs0 of the three
// mongo nodes (a later run finds it initiated) and waits until all three are up with one primary, so that the
// services start against a set that takes majority writes.
const members = ['mongo-1:27017', 'mongo-2:27017', 'mongo-3:27017'];
try {
  rs.status();
  print('replica set rs0 is initiated');
} catch (e) {
  if (e.codeName !== 'NotYetInitialized') {
    throw e;
  }
  rs.initiate({ _id: 'rs0', members: members.map((host, i) => ({ _id: i, host: host })) });
  print('replica set rs0 initiated');
}
const deadline = Date.now() + 120 * 1000;
for (;;) {
  const states = rs.status().members.map((member) => member.stateStr);
  if (states.filter((state) => state === 'PRIMARY').length === 1
      && states.filter((state) => state === 'SECONDARY').length === members.length - 1) {
    print('replica set rs0: ' + states.join(', '));
    break;
  }
  if (Date.now() > deadline) {
    print('replica set rs0 has no primary and two secondaries after 120 s: ' + states.join(', '));
    quit(1);
  }
  sleep(1000);
}

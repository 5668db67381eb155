#!/usr/bin/python3
"""certd's CAs in the system's trust, end to end, on loopback only.

The seed's scenario with real components: Debian's squid (squid-openssl) as an
SSL-bump proxy that re-signs TLS with its own CA, an HTTPS "updates server"
(updates.example.test, a certificate from a test root that squid trusts), and
curl through the proxy. certd runs on a private dbus-daemon; the system trust
is Debian's update-ca-certificates against a temporary root (standing for /),
run as certd-system-trust.service runs it: its ExecStart= read from
systemd/certd-system-trust.service.in, @libexecdir@ pointing at the repository.

Prints a TAP line per case ("ok N - name" or "not ok N - name: why") and the
plan at the end on standard output; diagnostics go to standard error. Exits 0
only when every case passed. Every process it starts is stopped by PID and its
temporary directory removed (kept when CERTD_KEEP_TEMP=1).

Usage: system_trust_test.py CERTD_BINARY REPOSITORY   (as root)
"""

import json
import os
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from orphans import become_subreaper, stop_orphans  # noqa: E402

WAIT = 20  # seconds for anything a process should do
UPDATES_HOST = "updates.example.test"
BODY = b"certd test: the updates server answered\n"
ROOT_PATH = "/org/certd/Certd1"
MANAGER = "org.certd.Certd1.Manager"
CA_INTERFACE = "org.certd.Certd1.CACertificate"
NOBODY = 65534
PROXY_USER = "proxy"  # Debian's squid: --with-default-user=proxy (cache_effective_user)
EXECSTART_PLACEHOLDER = "@libexecdir@/certd/certd-update-system-trust"
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # what systemd gives a service

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:dir=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"""

# The updates server: HTTPS on an ephemeral loopback port, printed on its first line.
UPDATES_SERVER = r"""
import http.server, ssl, sys
body = sys.argv[3].encode()
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, format, *args):
        sys.stderr.write("updates server: " + (format % args) + "\n")
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


class Failure(Exception):
    pass


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def run(cmd, timeout=60, check=True, **kwargs):
    kwargs.setdefault("capture_output", True)
    try:
        result = subprocess.run(cmd, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired:
        raise Failure("%s did not finish within %d s" % (os.path.basename(cmd[0]), timeout)) from None
    if check and result.returncode != 0:
        raise Failure("%s exited with %d: %s" % (" ".join(cmd[:3]), result.returncode,
                                                 (result.stderr or b"").decode(errors="replace").strip()[-500:]))
    return result


def wait_until(condition, message, timeout=WAIT, interval=0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(message)
        time.sleep(interval)


def check(condition, message):
    if not condition:
        raise Failure(message)


def read_text(path):
    with open(path, errors="replace") as f:
        return f.read()


def pem_body(path):
    """The base64 of a PEM certificate, for finding it in a bundle."""
    lines = read_text(path).strip().splitlines()
    return "\n".join(line for line in lines if not line.startswith("-----"))


# ------------------------------------------------------------------ certificates

class Certificates:
    """Test CAs and the updates server's certificate, made with the openssl command line."""

    def __init__(self, directory):
        self.directory = directory
        self.fingerprints = {}
        os.makedirs(directory)
        self.ca("updates-root", "Certd Test Updates Root")  # signed the updates server; squid trusts it
        self.ca("proxy-ca", "Certd Test SSL-Bump Proxy CA")  # squid re-signs with it
        self.ca("other-ca", "Certd Test Other CA")  # in certd throughout: its bundle is never empty
        self.ca("unrelated-ca", "Certd Test Unrelated CA")  # in no trust at all
        for n in (1, 2, 3):
            self.ca("burst-%d" % n, "Certd Test Burst CA %d" % n)
        self.ca("hooked", "Certd Test Hooked CA")  # the hooks hear of it
        with open(self.path("server.ext"), "w") as ext:
            ext.write("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                      "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s\n" % UPDATES_HOST)
        run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", self.path("server.key"), "-out", self.path("server.csr"), "-subj", "/CN=" + UPDATES_HOST])
        run(["openssl", "x509", "-req", "-in", self.path("server.csr"), "-CA", self.path("updates-root.pem"),
             "-CAkey", self.path("updates-root.key"), "-CAcreateserial", "-days", "30",
             "-extfile", self.path("server.ext"), "-out", self.path("server.pem")])

    def path(self, name):
        return os.path.join(self.directory, name)

    def ca(self, name, cn):
        run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", self.path(name + ".key"), "-out", self.path(name + ".pem"), "-days", "365",
             "-subj", "/CN=" + cn, "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"])

    def pem(self, name):
        return self.path(name + ".pem")

    def fingerprint(self, name):
        if name not in self.fingerprints:
            out = run(["openssl", "x509", "-in", self.pem(name), "-noout", "-fingerprint", "-sha256"]).stdout
            self.fingerprints[name] = out.decode().strip().split("=", 1)[1].replace(":", "").lower()
        return self.fingerprints[name]


# ------------------------------------------------------------------ processes

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_line(process, fd, what):
    """The first line a child writes to the pipe fd, awaited with a deadline."""
    data = b""
    deadline = time.monotonic() + WAIT
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or process.poll() is not None:
            raise Failure("%s printed nothing (exited: %s)" % (what, process.poll()))
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise Failure("%s closed its pipe" % what)
            data += chunk
    return data.split(b"\n", 1)[0].decode().strip()


class Stack:
    """Every process the test starts, stopped by PID (squid: its process group) at the end."""

    def __init__(self, work):
        self.work = work
        self.processes = []  # (name, Popen, own process group)
        self.bus_address = None
        self.certd = None

    def spawn(self, name, cmd, own_group=False, stdout=None, **kwargs):
        logfile = open(os.path.join(self.work, name + ".log"), "ab")
        process = subprocess.Popen(cmd, stdout=stdout if stdout is not None else logfile, stderr=logfile,
                                   stdin=subprocess.DEVNULL, start_new_session=own_group, **kwargs)
        logfile.close()
        self.processes.append((name, process, own_group))
        return process

    def stop_process(self, name, process, group):
        if process.poll() is None:
            try:
                if group:
                    os.killpg(process.pid, signal.SIGTERM)
                else:
                    process.terminate()
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                log("%s (pid %d) ignored SIGTERM for 10 s: SIGKILL" % (name, process.pid))
                if group:
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
                process.wait(timeout=10)
            except ProcessLookupError:
                pass
        if group:
            try:  # helpers left in the group of an exited leader (squid's certificate generators)
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.processes = [entry for entry in self.processes if entry[1] is not process]

    def stop(self):
        for name, process, group in reversed(list(self.processes)):
            try:
                self.stop_process(name, process, group)
            except Exception as error:  # keep stopping the others
                log("could not stop %s (pid %d): %s" % (name, process.pid, error))

    # ---- D-Bus and certd

    def start_bus(self):
        config = os.path.join(self.work, "bus.conf")
        with open(config, "w") as f:
            f.write(BUS_CONFIG % self.work)
        read_end, write_end = os.pipe()
        try:
            process = self.spawn("dbus-daemon", ["dbus-daemon", "--config-file=" + config, "--nofork",
                                                 "--print-address=%d" % write_end], pass_fds=(write_end,))
            os.close(write_end)
            write_end = None
            self.bus_address = read_line(process, read_end, "dbus-daemon")
        finally:
            os.close(read_end)
            if write_end is not None:
                os.close(write_end)

    def start_certd(self, certd, state_dir, config_text):
        os.makedirs(state_dir, exist_ok=True)
        config = os.path.join(self.work, "certd.conf")
        with open(config, "w") as f:
            f.write(config_text)
        notify_path = os.path.join(self.work, "notify.sock")
        if os.path.exists(notify_path):
            os.unlink(notify_path)
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            notify.bind(notify_path)
            env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.bus_address, NOTIFY_SOCKET=notify_path)
            self.certd = self.spawn("certd", [certd, "--state-dir=" + state_dir, "--config=" + config], env=env)
            deadline = time.monotonic() + WAIT
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.certd.poll() is not None:
                    raise Failure("certd did not report READY=1 (exit status %s; see certd.log)" % self.certd.poll())
                notify.settimeout(min(remaining, 0.5))
                try:
                    message = notify.recv(4096)
                except socket.timeout:
                    continue
                if b"READY=1" in message.split(b"\n"):
                    return
        finally:
            notify.close()

    def stop_certd(self):
        for name, process, group in list(self.processes):
            if process is self.certd:
                self.stop_process(name, process, group)
                check(process.returncode == 0, "certd exited with %s on SIGTERM" % process.returncode)
        self.certd = None

    def busctl(self, *args):
        result = run(["busctl", "--address=" + self.bus_address, "--json=short"] + list(args), timeout=30)
        return json.loads(result.stdout) if result.stdout.strip() else None

    def manager_property(self, name):
        return self.busctl("get-property", "org.certd.Certd1", ROOT_PATH, MANAGER, name)["data"]

    def import_ca(self, pem_path):
        with open(pem_path, "rb") as f:
            data = f.read()
        reply = self.busctl("call", "org.certd.Certd1", ROOT_PATH, MANAGER, "ImportCACertificate", "ay",
                            str(len(data)), *[str(b) for b in data])
        return reply["data"][0]

    def import_command(self, pem_path):
        with open(pem_path, "rb") as f:
            data = f.read()
        return ["busctl", "--address=" + self.bus_address, "--json=short", "call", "org.certd.Certd1", ROOT_PATH,
                MANAGER, "ImportCACertificate", "ay", str(len(data))] + [str(b) for b in data]

    def delete_ca(self, fingerprint):
        self.busctl("call", "org.certd.Certd1", ROOT_PATH + "/ca/" + fingerprint, CA_INTERFACE, "Delete")

    def delete_command(self, fingerprint):
        return ["busctl", "--address=" + self.bus_address, "call", "org.certd.Certd1",
                ROOT_PATH + "/ca/" + fingerprint, CA_INTERFACE, "Delete"]

    # ---- the updates server and squid

    def start_updates_server(self, certs):
        read_end, write_end = os.pipe()
        try:
            process = self.spawn("updates-server", ["/usr/bin/python3", "-c", UPDATES_SERVER, certs.pem("server"),
                                                    certs.path("server.key"), BODY.decode()], stdout=write_end)
            os.close(write_end)
            write_end = None
            return int(read_line(process, read_end, "the updates server"))
        finally:
            os.close(read_end)
            if write_end is not None:
                os.close(write_end)

    def start_squid(self, certs):
        """squid as an SSL-bump proxy on a free loopback port; returns the port once squid accepts on it."""
        import pwd
        proxy = pwd.getpwnam(PROXY_USER)
        directory = os.path.join(self.work, "squid")
        os.makedirs(directory)
        for sub in ("logs", "cache"):
            os.makedirs(os.path.join(directory, sub))
            os.chown(os.path.join(directory, sub), proxy.pw_uid, proxy.pw_gid)
        # The proxy's certificate and key in one file, readable by squid's user only
        bump = os.path.join(directory, "proxy-ca-and-key.pem")
        with open(bump, "w") as f:
            f.write(read_text(certs.pem("proxy-ca")) + read_text(certs.path("proxy-ca.key")))
        os.chown(bump, 0, proxy.pw_gid)
        os.chmod(bump, 0o640)
        # The database of generated certificates, made before squid starts and owned by squid's user
        db = os.path.join(directory, "ssl_db")
        run(["/usr/lib/squid/security_file_certgen", "-c", "-s", db, "-M", "4MB"])
        run(["chown", "-R", "%d:%d" % (proxy.pw_uid, proxy.pw_gid), db])
        hosts = os.path.join(directory, "hosts")
        with open(hosts, "w") as f:
            f.write("127.0.0.1 %s\n" % UPDATES_HOST)
        for attempt in range(3):  # a port found free can be taken before squid binds it: try another
            port = free_port()
            config = os.path.join(directory, "squid.conf")
            with open(config, "w") as f:
                f.write(SQUID_CONFIG.format(port=port, bump=bump, db=db, hosts=hosts, dir=directory,
                                            cafile=certs.pem("updates-root"), user=PROXY_USER))
            process = self.spawn("squid", ["squid", "-N", "-f", config], own_group=True)

            def accepting():
                if process.poll() is not None:
                    return "exited"
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        return "yes"
                except OSError:
                    return None
            state = wait_until(accepting, "squid does not accept on 127.0.0.1:%d (see squid.log, squid/logs)" % port)
            if state == "yes":
                return port
            log("squid exited at start (attempt %d, port %d): see squid.log" % (attempt + 1, port))
            self.stop_process("squid", process, True)
        raise Failure("squid did not start (see squid.log and squid/logs/cache.log)")


SQUID_CONFIG = """# An SSL-bump proxy for certd's system-trust test: loopback only.
http_port 127.0.0.1:{port} ssl-bump tls-cert={bump} generate-host-certificates=on dynamic_cert_mem_cache_size=4MB
sslcrtd_program /usr/lib/squid/security_file_certgen -s {db} -M 4MB
sslcrtd_children 3 startup=1 idle=1
acl step1 at_step SslBump1
ssl_bump peek step1
ssl_bump bump all
# squid checks the updates server against the test root that signed it
tls_outgoing_options cafile={cafile}
hosts_file {hosts}
dns_nameservers 127.0.0.1
http_access allow localhost
http_access deny all
cache_effective_user {user}
cache deny all
cache_store_log none
pid_filename {dir}/squid.pid
cache_log {dir}/logs/cache.log
access_log stdio:{dir}/logs/access.log
coredump_dir {dir}/cache
netdb_filename none
pinger_enable off
icp_port 0
htcp_port 0
visible_hostname certd-test-proxy
shutdown_lifetime 0 seconds
"""


# ------------------------------------------------------------------ the system trust under a temporary root

class SystemRoot:
    """A temporary directory standing for / as far as update-ca-certificates is concerned."""

    HAND_CA = "admin-updates-root"  # what an administrator put in /usr/local/share/ca-certificates by hand

    def __init__(self, directory, certs):
        self.root = directory
        self.certs_dir = os.path.join(directory, "etc/ssl/certs")
        self.bundle = os.path.join(self.certs_dir, "ca-certificates.crt")
        self.local = os.path.join(directory, "usr/local/share/ca-certificates")
        self.certd_link = os.path.join(self.local, "certd")
        mozilla = "/usr/share/ca-certificates/mozilla"
        names = sorted(name for name in os.listdir(mozilla) if name.endswith(".crt"))
        check(len(names) > 100, "Debian's %s has only %d certificates (ca-certificates)" % (mozilla, len(names)))
        for sub in ("usr/share/ca-certificates/mozilla", "etc/ssl/certs", "etc/ca-certificates/update.d",
                    "usr/local/share/ca-certificates"):
            os.makedirs(os.path.join(directory, sub))
        for name in names:
            shutil.copyfile(os.path.join(mozilla, name),
                            os.path.join(directory, "usr/share/ca-certificates/mozilla", name))
        with open(os.path.join(directory, "etc/ca-certificates.conf"), "w") as f:
            f.write("# certd's system-trust test: Debian's Mozilla roots\n")
            f.writelines("mozilla/%s\n" % name for name in names)
        self.hand_ca = os.path.join(self.local, self.HAND_CA + ".crt")
        shutil.copyfile(certs.pem("updates-root"), self.hand_ca)
        with open(self.hand_ca, "rb") as f:
            self.hand_ca_bytes = f.read()
        self.hand_ca_body = pem_body(self.hand_ca)

    def pem_link(self, name):
        return os.path.join(self.certs_dir, name + ".pem")

    def dangling_links(self):
        return sorted(name for name in os.listdir(self.certs_dir)
                      if os.path.islink(os.path.join(self.certs_dir, name))
                      and not os.path.exists(os.path.join(self.certs_dir, name)))

    def bundle_text(self):
        return read_text(self.bundle)

    def in_bundle(self, pem_path):
        return pem_body(pem_path) in self.bundle_text()

    def verifies(self, pem_path):
        """Whether OpenSSL finds the CA through the hashed links alone (no default file or store)."""
        return run(["openssl", "verify", "-no-CAfile", "-no-CAstore", "-CApath", self.certs_dir, pem_path],
                   check=False, timeout=20).returncode == 0

    def check_distribution_and_hand_ca(self):
        """What no run may lose: the Mozilla roots and the administrator's own CA."""
        count = self.bundle_text().count("-----BEGIN CERTIFICATE-----")
        check(count > 100, "ca-certificates.crt holds %d certificates, not the Mozilla roots" % count)
        isrg = self.pem_link("ISRG_Root_X1")
        check(os.path.islink(isrg) and os.path.exists(isrg), "ISRG_Root_X1.pem is missing")
        check(os.readlink(isrg).startswith(os.path.join(self.root, "usr/share/ca-certificates/mozilla/")),
              "ISRG_Root_X1.pem points at %s" % os.readlink(isrg))
        with open(self.hand_ca, "rb") as f:
            check(f.read() == self.hand_ca_bytes, "the hand-put CA file was changed")
        link = self.pem_link(self.HAND_CA)
        check(os.path.exists(link) and os.readlink(link) == self.hand_ca, "the hand-put CA's link is gone")
        check(self.hand_ca_body in self.bundle_text(), "the hand-put CA is not in ca-certificates.crt")
        check(self.verifies(self.hand_ca), "the hand-put CA is not found through the hashed links")
        dangling = self.dangling_links()
        check(not dangling, "dangling links in etc/ssl/certs: %s" % dangling)


def oneshot_command_lines(repo):
    """certd-system-trust.service's ExecStart= lines as systemd would run them, @libexecdir@ → the repo."""
    unit = os.path.join(repo, "systemd", "certd-system-trust.service.in")
    section, lines, pending = None, [], ""
    for raw in read_text(unit).splitlines():
        line = pending + raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]":
            lines.append(line)
    commands, environment, service_type = [], {}, "simple"
    for line in lines:
        key, _, value = line.partition("=")
        key = key.strip()
        value = value.strip()
        if key == "ExecStart":
            if EXECSTART_PLACEHOLDER not in value:
                raise Failure("ExecStart= does not run %s: %s" % (EXECSTART_PLACEHOLDER, value))
            command = value.replace(EXECSTART_PLACEHOLDER, os.path.join(repo, "systemd", "certd-update-system-trust"))
            if "@" in command:
                raise Failure("ExecStart= has a prefix or a substitution this test does not model: %s" % value)
            if command[:1] in ("-", ":", "+", "!", "|"):
                raise Failure("ExecStart= has a prefix this test does not model: %s" % value)
            if "$" in command or "%" in command:
                raise Failure("ExecStart= has variables or specifiers this test does not model: %s" % value)
            commands.append(shlex.split(command))
        elif key == "Type":
            service_type = value
        elif key == "Environment":
            for assignment in shlex.split(value):
                name, _, setting = assignment.partition("=")
                environment[name] = setting
        elif key in ("EnvironmentFile", "ExecStartPre", "ExecStartPost", "ExecCondition", "WorkingDirectory",
                     "RootDirectory", "User", "DynamicUser"):
            raise Failure("certd-system-trust.service has %s=, which this test does not model" % key)
    check(service_type == "oneshot", "certd-system-trust.service is Type=%s, not oneshot" % service_type)
    check(commands, "certd-system-trust.service has no ExecStart=")
    return commands, environment


# ------------------------------------------------------------------ the cases

class Test:
    def __init__(self, certd, repo, work):
        self.certd = certd
        self.repo = repo
        self.work = work
        self.stack = Stack(work)
        self.results = []
        self.state_dir = os.path.join(work, "state")
        self.oneshot_runs = 0

    def case(self, name, function):
        started = time.monotonic()
        try:
            function()
        except Exception as error:  # report and go on with the next case
            self.results.append((name, False))
            lines = str(error).strip().splitlines()
            why = lines[0].strip() if lines else type(error).__name__
            print("not ok %d - %s: %s" % (len(self.results), name, why), flush=True)
            if not isinstance(error, Failure):
                traceback.print_exc()
        else:
            self.results.append((name, True))
            print("ok %d - %s (%.1f s)" % (len(self.results), name, time.monotonic() - started), flush=True)

    # ---- helpers

    def curl(self, trust, via_proxy=True, user=None):
        """curl https://updates.example.test:<port>/ trusting exactly what trust names:
        ("file", bundle) or ("directory", hashed directory). curl always loads a CA file and a CA
        directory (Debian's defaults when none is given), so the other one is set to something that
        trusts nothing involved: only the named one decides."""
        kind, where = trust
        if kind == "file":
            trust_args = ["--cacert", where, "--capath", self.empty_dir]
        else:
            trust_args = ["--capath", where, "--cacert", self.certs.pem("unrelated-ca")]
        url = "https://%s:%d/" % (UPDATES_HOST, self.updates_port)
        if via_proxy:
            route = ["--proxy", "http://127.0.0.1:%d" % self.squid_port]
        else:
            route = ["--noproxy", "*", "--resolve", "%s:%d:127.0.0.1" % (UPDATES_HOST, self.updates_port)]
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": self.work}
        kwargs = {"user": user, "group": user, "extra_groups": []} if user is not None else {}
        return run(["curl", "--silent", "--show-error", "--connect-timeout", "10", "--max-time", "20"]
                   + trust_args + route + [url], check=False, timeout=30, env=env, **kwargs)

    def expect_fetched(self, trust, what, **kwargs):
        result = self.curl(trust, **kwargs)
        check(result.returncode == 0 and result.stdout == BODY,
              "%s: curl exited with %d: %s" % (what, result.returncode, result.stderr.decode(errors="replace").strip()))

    def expect_refused(self, trust, what, **kwargs):
        result = self.curl(trust, **kwargs)
        error = result.stderr.decode(errors="replace").strip()
        check(result.returncode != 0, "%s: curl fetched the page" % what)
        # 60: the peer's certificate was not verified; anything else means the test itself went wrong
        check(result.returncode == 60, "%s: curl failed otherwise than by refusing the certificate (exit %d: %s)"
              % (what, result.returncode, error))

    def certd_trust(self):
        return [("directory", self.trust_directory), ("file", self.trust_bundle)]

    def system_trust(self):
        return [("directory", self.system.certs_dir), ("file", self.system.bundle)]

    def run_oneshot(self):
        """certd-system-trust.service's ExecStart=, run as systemd runs a service: a clean environment
        (with the two variables that point it at the temporary root and certd's state), / as working
        directory, no standard input. Its output goes to standard error (the journal, in production)."""
        self.oneshot_runs += 1
        env = {"PATH": SYSTEMD_PATH, "LANG": "C.UTF-8"}
        env.update(self.oneshot_environment)
        env["CERTD_SYSTEM_TRUST_ROOT"] = self.system.root
        env["CERTD_STATE_DIRECTORY"] = self.state_dir
        for command in self.oneshot_commands:
            result = run(command, check=False, timeout=60, env=env, cwd="/", stdin=subprocess.DEVNULL,
                         stderr=subprocess.STDOUT, capture_output=False, stdout=subprocess.PIPE)
            for line in result.stdout.decode(errors="replace").splitlines():
                log("certd-system-trust.service[run %d]: %s" % (self.oneshot_runs, line))
            check(result.returncode == 0, "%s exited with %d" % (" ".join(command), result.returncode))

    def system_trust_holds(self, name):
        """Whether the system trust under the temporary root holds certd's copy of the CA name: its
        link, its hash link and its place in the bundle all agree."""
        fingerprint = self.certs.fingerprint(name)
        link = self.system.pem_link(fingerprint)
        linked = os.path.exists(link)
        if linked:
            check(os.readlink(link) == os.path.join(self.system.certd_link, fingerprint + ".crt"),
                  "%s.pem points at %s" % (fingerprint[:12], os.readlink(link)))
        bundled = self.system.in_bundle(self.certs.pem(name))
        hashed = self.system.verifies(self.certs.pem(name))
        check(linked == bundled == hashed, "%s: link %s, in the bundle %s, found by hash %s"
              % (name, linked, bundled, hashed))
        return linked

    def certd_entry(self, name):
        return os.path.join(self.state_dir, "system-trust", self.certs.fingerprint(name) + ".crt")

    def snapshot_real_trust(self):
        bundle = "/etc/ssl/certs/ca-certificates.crt"
        status = os.stat(bundle) if os.path.exists(bundle) else None
        return (status and (status.st_ino, status.st_size, status.st_mtime_ns),
                sorted(os.listdir("/etc/ssl/certs")) if os.path.isdir("/etc/ssl/certs") else None,
                sorted(os.listdir("/usr/local/share/ca-certificates"))
                if os.path.isdir("/usr/local/share/ca-certificates") else None)

    # ---- setup

    def setup(self):
        self.real_trust_before = self.snapshot_real_trust()
        self.oneshot_commands, self.oneshot_environment = oneshot_command_lines(self.repo)
        self.certs = Certificates(os.path.join(self.work, "certs"))
        self.empty_dir = os.path.join(self.work, "empty")
        os.makedirs(self.empty_dir)
        self.system = SystemRoot(os.path.join(self.work, "root"), self.certs)
        self.stack.start_bus()
        self.stack.start_certd(self.certd, self.state_dir, "")
        self.trust_directory = self.stack.manager_property("TrustDirectory")
        self.trust_bundle = self.stack.manager_property("TrustBundle")
        self.updates_port = self.stack.start_updates_server(self.certs)
        self.squid_port = self.stack.start_squid(self.certs)
        log("bus %s, updates server 127.0.0.1:%d, squid 127.0.0.1:%d, work %s"
            % (self.stack.bus_address, self.updates_port, self.squid_port, self.work))

    # ---- cases

    def test_system_trust_directory(self):
        directory = self.stack.manager_property("SystemTrustDirectory")
        check(directory == os.path.join(self.state_dir, "system-trust"),
              "SystemTrustDirectory is %r, not <state>/system-trust" % directory)
        check(os.path.isdir(directory) and not os.listdir(directory),
              "%s is not an empty directory before any import" % directory)
        path = self.stack.import_ca(self.certs.pem("other-ca"))
        check(path == ROOT_PATH + "/ca/" + self.certs.fingerprint("other-ca"), "Import returned %s" % path)
        check(sorted(os.listdir(directory)) == [self.certs.fingerprint("other-ca") + ".crt"],
              "after an import it holds %s" % sorted(os.listdir(directory)))
        out = run(["openssl", "x509", "-in", self.certd_entry("other-ca"), "-noout", "-fingerprint", "-sha256"])
        check(out.stdout.decode().strip().split("=", 1)[1].replace(":", "").lower()
              == self.certs.fingerprint("other-ca"), "<fingerprint>.crt is not that CA")
        check(os.stat(self.certd_entry("other-ca")).st_mode & 0o444 == 0o444, "<fingerprint>.crt is not world-readable")

    def test_stack(self):
        self.expect_fetched(("file", self.certs.pem("updates-root")), "directly, trusting the updates root",
                            via_proxy=False)
        self.expect_fetched(("file", self.certs.pem("proxy-ca")), "through the proxy, trusting the proxy's CA")
        self.expect_refused(("file", self.certs.pem("updates-root")),
                            "through the proxy, trusting only the updates root (squid did not bump)")
        access_log = os.path.join(self.work, "squid", "logs", "access.log")
        wanted = "GET https://%s:%d/" % (UPDATES_HOST, self.updates_port)
        wait_until(lambda: os.path.exists(access_log) and wanted in read_text(access_log),
                   "squid's access.log has no bumped request %r" % wanted)

    def test_refused_before_import(self):
        for trust in self.certd_trust():
            self.expect_refused(trust, "certd's %s %s" % trust)

    def test_oneshot_before_import(self):
        self.run_oneshot()
        check(os.path.islink(self.system.certd_link)
              and os.readlink(self.system.certd_link) == os.path.join(self.state_dir, "system-trust"),
              "usr/local/share/ca-certificates/certd is not a link to certd's system-trust directory")
        self.system.check_distribution_and_hand_ca()
        check(self.system_trust_holds("other-ca"), "the CA certd already held is not in the system trust")
        check(not self.system_trust_holds("proxy-ca"), "the proxy's CA is in the system trust before its import")
        for trust in self.system_trust():
            self.expect_refused(trust, "the system trust's %s %s" % trust)

    def test_import_certd_trust(self):
        path = self.stack.import_ca(self.certs.pem("proxy-ca"))
        check(path == ROOT_PATH + "/ca/" + self.certs.fingerprint("proxy-ca"), "Import returned %s" % path)
        check(os.path.exists(self.certd_entry("proxy-ca")), "no <fingerprint>.crt in SystemTrustDirectory")
        for trust in self.certd_trust():
            self.expect_fetched(trust, "certd's %s %s" % trust)

    def test_import_system_trust(self):
        self.run_oneshot()
        self.system.check_distribution_and_hand_ca()
        check(self.system_trust_holds("proxy-ca"), "the proxy's CA is not in the system trust")
        check(self.system_trust_holds("other-ca"), "the other CA left the system trust")
        for trust in self.system_trust():
            self.expect_fetched(trust, "the system trust's %s %s" % trust)
            # apt's https method and most services are not root: the chain of links must be readable
            self.expect_fetched(trust, "as nobody, the system trust's %s %s" % trust, user=NOBODY)

    def test_delete_certd_trust(self):
        self.stack.delete_ca(self.certs.fingerprint("proxy-ca"))
        check(not os.path.exists(self.certd_entry("proxy-ca")), "<fingerprint>.crt is still in SystemTrustDirectory")
        check(os.path.exists(self.certd_entry("other-ca")), "Delete took the other CA's entry too")
        for trust in self.certd_trust():
            self.expect_refused(trust, "certd's %s %s" % trust)

    def test_delete_system_trust(self):
        self.run_oneshot()
        self.system.check_distribution_and_hand_ca()  # includes: no dangling link
        check(not self.system_trust_holds("proxy-ca"), "the deleted proxy CA is still in the system trust")
        check(self.system_trust_holds("other-ca"), "the other CA left the system trust")
        for trust in self.system_trust():
            self.expect_refused(trust, "the system trust's %s %s" % trust)

    def test_burst_of_imports(self):
        names = ["burst-1", "burst-2", "burst-3"]
        # In quick succession: all three calls are on the bus at once, the script runs after the last
        processes = [subprocess.Popen(self.stack.import_command(self.certs.pem(name)), stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE) for name in names]
        for name, process in zip(names, processes):
            try:
                out, err = process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                raise Failure("the import of %s did not return within 30 s" % name)
            check(process.returncode == 0, "the import of %s failed: %s" % (name, err.decode(errors="replace").strip()))
        for name in names:
            check(os.path.exists(self.certd_entry(name)), "%s is not in SystemTrustDirectory" % name)
            check(not self.system_trust_holds(name), "%s is in the system trust before the script ran" % name)
        runs = self.oneshot_runs
        self.run_oneshot()
        check(self.oneshot_runs == runs + 1, "not exactly one run")
        for name in names:
            check(self.system_trust_holds(name), "%s is not in the system trust after one run" % name)
        self.system.check_distribution_and_hand_ca()
        check(self.system_trust_holds("other-ca"), "the other CA left the system trust")

    def test_hooks_hear_of_deletes(self):
        """update-ca-certificates tells the hooks (Java's keystore) of what it added; what certd deleted
        it never sees as removed, so the script must tell them."""
        heard = os.path.join(self.work, "hook-heard")
        hook = os.path.join(self.system.root, "etc/ca-certificates/update.d/record")
        with open(hook, "w") as f:
            f.write("#!/bin/sh\ncat >> %s\n" % heard)
        os.chmod(hook, 0o755)
        try:
            link = self.system.pem_link(self.certs.fingerprint("hooked"))
            self.stack.import_ca(self.certs.pem("hooked"))
            self.run_oneshot()
            check("+" + link in read_text(heard).split(), "the hooks did not hear of the import")
            self.stack.delete_ca(self.certs.fingerprint("hooked"))
            self.run_oneshot()
            check("-" + link in read_text(heard).split(), "the hooks did not hear of the delete")
            check(not self.system_trust_holds("hooked"), "the deleted CA is still in the system trust")
        finally:
            os.remove(hook)

    def test_burst_of_deletes(self):
        names = ["burst-1", "burst-2", "burst-3"]
        processes = [subprocess.Popen(self.stack.delete_command(self.certs.fingerprint(name)), stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE) for name in names]
        for name, process in zip(names, processes):
            try:
                _, err = process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                raise Failure("the Delete of %s did not return within 30 s" % name)
            check(process.returncode == 0, "the Delete of %s failed: %s" % (name, err.decode(errors="replace").strip()))
        self.run_oneshot()
        for name in names:
            check(not self.system_trust_holds(name), "%s is still in the system trust after one run" % name)
        self.system.check_distribution_and_hand_ca()  # includes: no dangling link
        check(self.system_trust_holds("other-ca"), "the other CA left the system trust")

    def test_hand_ca(self):
        # Checked after every run above (check_distribution_and_hand_ca); here once more, and in use:
        # the hand-put CA is the updates server's root, so the system trust reaches the server directly.
        self.system.check_distribution_and_hand_ca()
        check(self.oneshot_runs >= 5, "only %d runs of the script" % self.oneshot_runs)
        for trust in self.system_trust():
            self.expect_fetched(trust, "directly, with the system trust's %s %s" % trust, via_proxy=False)
        hand = self.certs.fingerprint("updates-root")
        check(not os.path.exists(os.path.join(self.state_dir, "system-trust", hand + ".crt")),
              "the hand-put CA appeared in certd's directory")
        check(sorted(os.listdir(self.system.local)) == sorted([SystemRoot.HAND_CA + ".crt", "certd"]),
              "usr/local/share/ca-certificates holds %s" % sorted(os.listdir(self.system.local)))

    def test_system_trust_off(self):
        # The proxy's CA in certd and in the system trust, then certd restarted with SystemTrust=no
        self.stack.import_ca(self.certs.pem("proxy-ca"))
        self.run_oneshot()
        check(self.system_trust_holds("proxy-ca"), "precondition: the proxy's CA is not in the system trust")
        self.stack.stop_certd()
        off = "[Trust]\nSystemTrust=no\n"
        # A new state directory: the system-trust directory is never made
        fresh = os.path.join(self.work, "state-off")
        self.stack.start_certd(self.certd, fresh, off)
        value = self.stack.manager_property("SystemTrustDirectory")
        check(value == "", "SystemTrustDirectory is %r with SystemTrust=no (new state)" % value)
        check(not os.path.lexists(os.path.join(fresh, "system-trust")), "a new state has a system-trust directory")
        self.stack.stop_certd()
        # The state that had one: certd removes it
        self.stack.start_certd(self.certd, self.state_dir, off)
        value = self.stack.manager_property("SystemTrustDirectory")
        check(value == "", "SystemTrustDirectory is %r with SystemTrust=no" % value)
        check(not os.path.lexists(os.path.join(self.state_dir, "system-trust")),
              "<state>/system-trust still exists with SystemTrust=no")

    def test_system_trust_off_run(self):
        self.run_oneshot()
        self.system.check_distribution_and_hand_ca()  # includes: no dangling link
        check(not self.system_trust_holds("proxy-ca"), "with SystemTrust=no the proxy's CA stays in the system trust")
        check(not self.system_trust_holds("other-ca"), "with SystemTrust=no the other CA stays in the system trust")
        for trust in self.system_trust():
            self.expect_refused(trust, "the system trust's %s %s" % trust)
        for trust in self.certd_trust():  # still certd's: its own outputs keep it
            self.expect_fetched(trust, "certd's %s %s" % trust)

    def test_real_trust_untouched(self):
        after = self.snapshot_real_trust()
        check(after == self.real_trust_before,
              "the machine's /etc/ssl/certs or /usr/local/share/ca-certificates changed during the test")

    def run(self):
        self.setup()
        self.case("SystemTrustDirectory is <state>/system-trust and holds <fingerprint>.crt per CA",
                  self.test_system_trust_directory)
        self.case("the stack: the updates server answers, squid bumps TLS with its own CA",
                  self.test_stack)
        self.case("before the import: curl through the proxy is refused with TrustDirectory and TrustBundle",
                  self.test_refused_before_import)
        self.case("the oneshot's ExecStart against the temporary root: certd's directory linked, "
                  "Mozilla roots kept, the proxy still refused", self.test_oneshot_before_import)
        self.case("ImportCACertificate of the proxy CA: curl through the proxy fetches with TrustDirectory "
                  "and TrustBundle", self.test_import_certd_trust)
        self.case("after the import, one run of the oneshot: curl through the proxy fetches with "
                  "etc/ssl/certs and ca-certificates.crt (also as nobody), Mozilla roots kept",
                  self.test_import_system_trust)
        self.case("Delete of the proxy CA: curl through the proxy is refused again with TrustDirectory "
                  "and TrustBundle", self.test_delete_certd_trust)
        self.case("after the Delete, one run of the oneshot: refused with etc/ssl/certs and "
                  "ca-certificates.crt, no dangling link, Mozilla roots kept", self.test_delete_system_trust)
        self.case("a burst of three imports: one run of the oneshot adds all three", self.test_burst_of_imports)
        self.case("a burst of three deletes: one run of the oneshot removes all three, no dangling link",
                  self.test_burst_of_deletes)
        self.case("the hooks (Java's keystore) hear of certd's imports and of its deletes",
                  self.test_hooks_hear_of_deletes)
        self.case("a CA put by hand in usr/local/share/ca-certificates stays across certd's imports and deletes",
                  self.test_hand_ca)
        self.case("SystemTrust=no: SystemTrustDirectory is empty and the directory does not exist",
                  self.test_system_trust_off)
        self.case("SystemTrust=no, one run of the oneshot: certd's CAs leave the system trust, "
                  "TrustDirectory and TrustBundle keep them", self.test_system_trust_off_run)
        self.case("the machine's own trust was not touched", self.test_real_trust_untouched)

    def close(self):
        self.stack.stop()


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    certd, repo = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix="certd-system-trust-")
    os.chmod(work, 0o755)  # squid's user and nobody read below it

    def terminate(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)

    started = time.monotonic()
    become_subreaper()
    test = Test(certd, repo, work)
    try:
        test.run()
    except Exception as error:  # the cases report their own failures: this is the setup's
        test.results.append(("setup", False))
        print("not ok %d - setup: %s" % (len(test.results), (str(error).strip().splitlines() or
                                                              [type(error).__name__])[0]), flush=True)
        if not isinstance(error, Failure):
            traceback.print_exc()
    except SystemExit as error:  # SIGTERM/SIGINT: stop everything, report, exit non-zero
        test.results.append(("interrupted", False))
        print("not ok %d - interrupted: stopped by a signal (exit status %s)" % (len(test.results), error.code),
              flush=True)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        test.close()
        stop_orphans()
    print("1..%d" % len(test.results), flush=True)  # TAP's plan, at the end
    passed = sum(1 for _, ok in test.results if ok)
    failed = len(test.results) - passed
    if failed:
        for name in ("certd.log", "dbus-daemon.log", "squid.log", "squid/logs/cache.log", "updates-server.log"):
            path = os.path.join(work, name)
            if os.path.exists(path):
                lines = read_text(path).splitlines()
                log("---- %s (last 40 lines)" % name)
                for line in lines[-40:]:
                    log(line)
    if os.environ.get("CERTD_KEEP_TEMP") == "1":
        log("kept %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    log("%d passed, %d failed in %.1f s" % (passed, failed, time.monotonic() - started))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

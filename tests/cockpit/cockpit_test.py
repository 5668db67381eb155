#!/usr/bin/python3
"""certd's Cockpit page in a real browser against the real stack.

A private dbus-daemon, the real certd on it, Debian's cockpit-ws with a local
cockpit-bridge serving the page from a copy of cockpit/, and Debian's headless
chromium driven by Selenium. Prints a TAP line per case ("ok N - name" or
"not ok N - name: why") and the plan at the end
and "N passed, N failed" last; exits 0 only when every case passed.

Usage: cockpit_test.py CERTD_BINARY REPOSITORY
Standard output holds only the TAP lines (a results file for
scripts/test-summary.py); the summary and diagnostics go to standard error.
Screenshots (PNG, named by section) go to $CERTD_SCREENSHOTS, by default to
a new directory /tmp/certd-cockpit-screenshots-XXXX (printed at the end).
"""

import json
import os
import select
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

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT = 20  # seconds for anything the page or a process should do
ROOT = "/org/certd/Certd1"
MANAGER = ("org.certd.Certd1", ROOT, "org.certd.Certd1.Manager")
NOBODY = 65534

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"""


class Failure(Exception):
    pass


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def run(cmd, **kwargs):
    kwargs.setdefault("timeout", 60)
    kwargs.setdefault("check", True)
    kwargs.setdefault("capture_output", True)
    return subprocess.run(cmd, **kwargs)


# ------------------------------------------------------------------ certificates

def make_certificates(directory, hostname):
    """Test certificates, made with the openssl command line."""
    os.makedirs(directory)

    def path(name):
        return os.path.join(directory, name)

    def ca(name, cn, days):
        run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", path(name + ".key"), "-out", path(name + ".pem"), "-days", str(days), "-subj", "/CN=" + cn,
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        run(["openssl", "x509", "-in", path(name + ".pem"), "-outform", "der", "-out", path(name + ".der")])

    ca("root", "Certd Test Root CA", 1825)
    ca("second", "Certd Test Second CA", 1825)
    ca("busctl", "Certd Busctl CA", 1825)
    ca("expiring", "Certd Test Expiring CA", 10)
    ca("reload", "Certd Reload CA", 1825)
    with open(path("bundle.pem"), "w") as bundle:  # two certificates: the second is ignored
        for name in ("root", "second"):
            with open(path(name + ".pem")) as part:
                bundle.write(part.read())

    # An expired CA (openssl ca sets dates in the past), placed in the store by hand
    with open(path("ca.cnf"), "w") as config:
        config.write("[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\n"
                     "default_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n"
                     "[v3ca]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n")
    open(path("index.txt"), "w").close()
    with open(path("serial"), "w") as serial:
        serial.write("01\n")
    run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", path("expired.key"), "-out", path("expired.csr"), "-subj", "/CN=Certd Test Expired CA"])
    run(["openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "root.pem", "-keyfile", "root.key",
         "-in", "expired.csr", "-out", "expired.pem", "-startdate", "20200101000000Z", "-enddate",
         "20210101000000Z", "-extensions", "v3ca", "-notext"], cwd=directory)

    # A server certificate for the upload, its key, and the key encrypted with a passphrase
    with open(path("server.ext"), "w") as ext:
        ext.write("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                  "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s,DNS:uploaded.example.test\n" % hostname)
    run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=Certd Test Server"])
    run(["openssl", "x509", "-req", "-in", path("server.csr"), "-CA", path("root.pem"), "-CAkey", path("root.key"),
         "-CAcreateserial", "-days", "90", "-extfile", path("server.ext"), "-out", path("server.pem")])
    run(["openssl", "pkey", "-in", path("server.key"), "-aes256", "-passout", "pass:x",
         "-out", path("server-encrypted.key")])
    # A second one as a Windows CA exports it: PKCS#12 with RC2-40 and 3DES
    run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", path("pfx.key"), "-out", path("pfx.csr"), "-subj", "/CN=Certd Test PFX Server"])
    run(["openssl", "x509", "-req", "-in", path("pfx.csr"), "-CA", path("root.pem"), "-CAkey", path("root.key"),
         "-CAcreateserial", "-days", "90", "-extfile", path("server.ext"), "-out", path("pfx.pem")])
    run(["openssl", "pkcs12", "-export", "-legacy", "-inkey", path("pfx.key"), "-in", path("pfx.pem"),
         "-certfile", path("root.pem"), "-passout", "pass:pfx secret", "-out", path("server.pfx")])
    return path


def fingerprint(pem_path):
    out = run(["openssl", "x509", "-in", pem_path, "-noout", "-fingerprint", "-sha256"]).stdout.decode()
    return out.strip().split("=", 1)[1].replace(":", "").lower()


# ------------------------------------------------------------------ processes

class Stack:
    """Every process the test starts, stopped by PID at the end."""

    def __init__(self, work):
        self.work = work
        self.processes = []  # (name, Popen, kill the process group)
        self.bus_address = None
        self.state_dir = os.path.join(work, "state")

    def spawn(self, name, cmd, own_group=False, **kwargs):
        logfile = open(os.path.join(self.work, name + ".log"), "wb")
        process = subprocess.Popen(cmd, stdout=logfile, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=own_group, **kwargs)
        logfile.close()
        self.processes.append((name, process, own_group))
        return process

    def certd_state(self):
        """Empty while certd runs; else how it ended and its log's tail, for failure messages."""
        certd = getattr(self, "certd", None)
        if certd is None or certd.poll() is None:
            return ""
        with open(os.path.join(self.work, "certd.log"), "rb") as f:
            tail = f.read()[-2000:].decode(errors="replace")
        return f"; certd exited with {certd.returncode}:\n{tail}"

    def start_bus(self):
        config = os.path.join(self.work, "bus.conf")
        with open(config, "w") as f:
            f.write(BUS_CONFIG)
        read_end, write_end = os.pipe()
        process = self.spawn("dbus-daemon", ["dbus-daemon", "--config-file=" + config, "--nofork",
                                             "--print-address=%d" % write_end], pass_fds=(write_end,))
        os.close(write_end)
        data = b""
        deadline = time.monotonic() + WAIT
        while b"\n" not in data:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or process.poll() is not None:
                raise Failure("dbus-daemon printed no address")
            ready, _, _ = select.select([read_end], [], [], remaining)
            if ready:
                chunk = os.read(read_end, 4096)
                if not chunk:
                    raise Failure("dbus-daemon closed its address pipe")
                data += chunk
        os.close(read_end)
        self.bus_address = data.decode().strip()

    def start_certd(self, certd):
        os.makedirs(self.state_dir, exist_ok=True)
        notify_path = os.path.join(self.work, "notify.sock")
        if os.path.exists(notify_path):
            os.unlink(notify_path)
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(notify_path)
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.bus_address, NOTIFY_SOCKET=notify_path)
        process = self.spawn("certd", [certd, "--state-dir=" + self.state_dir, "--config=/dev/null"], env=env)
        self.certd = process
        deadline = time.monotonic() + WAIT
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or process.poll() is not None:
                    raise Failure("certd did not report READY=1 (see certd.log)")
                notify.settimeout(remaining)
                try:
                    message = notify.recv(4096)
                except socket.timeout:
                    continue
                if b"READY=1" in message.split(b"\n"):
                    break
        finally:
            notify.close()

    def start_cockpit(self, name, xdg_dir, user=None):
        """cockpit-ws with a local bridge; the listening socket is made here and handed over
        (systemd socket activation), so the page can be loaded at once, without waiting."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        port = listener.getsockname()[1]
        env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C.UTF-8",
            "XDG_DATA_DIRS": xdg_dir + ":/usr/share",
            "DBUS_SYSTEM_BUS_ADDRESS": self.bus_address,
            "LISTEN_FDS": "1",
            "HOME": os.path.join(self.work, name + "-home"),
        }
        os.makedirs(env["HOME"], exist_ok=True)
        if user is not None:
            os.chown(env["HOME"], user, user)
        fd = listener.fileno()

        def child_setup():
            os.dup2(fd, 3)
            os.set_inheritable(3, True)

        command = ("LISTEN_PID=$$ exec /usr/lib/cockpit/cockpit-ws --no-tls "
                   "--local-session=/usr/bin/cockpit-bridge -p %d -a 127.0.0.1" % port)
        kwargs = {}
        if user is not None:
            kwargs = {"user": user, "group": user, "extra_groups": []}
        self.spawn(name, ["/bin/sh", "-c", command], own_group=True, env=env, pass_fds=(fd,),
                   preexec_fn=child_setup, **kwargs)
        listener.close()
        return port

    def stop_certd(self):
        self.certd.terminate()
        self.certd.wait(timeout=WAIT)

    def stop(self):
        for name, process, group in reversed(self.processes):
            if process.poll() is None:
                try:
                    if group:
                        os.killpg(process.pid, signal.SIGTERM)
                    else:
                        process.terminate()
                    process.wait(timeout=10)
                except (subprocess.TimeoutExpired, ProcessLookupError, PermissionError):
                    try:
                        if group:
                            os.killpg(process.pid, signal.SIGKILL)
                        else:
                            process.kill()
                    except ProcessLookupError:
                        pass
                    process.wait(timeout=10)
            elif group:
                try:  # the bridge of an exited cockpit-ws
                    os.killpg(process.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        self.processes = []

    def busctl(self, *args, json_output=False):
        cmd = ["busctl", "--address=" + self.bus_address]
        if json_output:
            cmd.append("--json=short")
        result = run(cmd + list(args), timeout=30, check=False)
        if result.returncode != 0:
            raise AssertionError(f"{' '.join(cmd[2:] + list(args))[:200]} failed: {result.stderr.decode().strip()}"
                                 + self.certd_state())
        return json.loads(result.stdout) if json_output else result.stdout.decode()

    def call_bytes(self, path, iface, method, data):
        return self.busctl("call", "org.certd.Certd1", path, iface, method, "ay", str(len(data)),
                           *[str(b) for b in data], json_output=True)

    def property(self, path, iface, name):
        return self.busctl("get-property", "org.certd.Certd1", path, iface, name, json_output=True)["data"]

    def ca_paths(self):
        tree = self.busctl("call", "org.certd.Certd1", ROOT, "org.freedesktop.DBus.ObjectManager",
                           "GetManagedObjects", json_output=True)
        return sorted(path for path in tree["data"][0] if path.startswith(ROOT + "/ca/"))


# ------------------------------------------------------------------ browser

class Browser:
    def __init__(self, work, name):
        self.downloads = os.path.join(work, name + "-downloads")
        os.makedirs(self.downloads)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run",
                         "--disable-dev-shm-usage", "--window-size=1280,800", "--lang=en-US",
                         "--user-data-dir=" + os.path.join(work, name + "-profile")):
            options.add_argument(argument)
        options.add_experimental_option("prefs", {
            "download.default_directory": self.downloads,
            "download.prompt_for_download": False,
        })
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.service = Service("/usr/bin/chromedriver", log_path=os.path.join(work, name + "-chromedriver.log"))
        self.driver = webdriver.Chrome(service=self.service, options=options)
        self.driver.set_page_load_timeout(WAIT)
        self.driver.set_script_timeout(WAIT)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                                    {"behavior": "allow", "downloadPath": self.downloads})

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass

    def open(self, port):
        self.driver.get("http://127.0.0.1:%d/cockpit/@localhost/certd/index.html" % port)
        self.wait(lambda: self.find("#page").get_attribute("aria-busy") == "false", "the page did not finish loading")

    def wait(self, condition, message, timeout=WAIT):
        def check(_driver):
            try:
                return condition()
            except (WebDriverException, AssertionError, KeyError, IndexError):
                return False
        try:
            return WebDriverWait(self.driver, timeout).until(check)
        except TimeoutException:
            raise Failure(message) from None

    def find(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def find_all(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def text(self, selector):
        return self.find(selector).text

    def visible(self, selector):
        elements = self.find_all(selector)
        return bool(elements) and elements[0].is_displayed()

    def wait_visible(self, selector, message=None):
        self.wait(lambda: self.visible(selector), message or selector + " did not appear")
        return self.find(selector)

    def wait_hidden(self, selector, message=None):
        self.wait(lambda: not self.visible(selector), message or selector + " did not go away")

    def wait_text(self, selector, text, message=None):
        self.wait(lambda: text in self.text(selector),
                  message or "%s never said %r" % (selector, text))

    def click(self, selector):
        element = self.find(selector)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def dialog_open(self, selector):
        return self.driver.execute_script("return document.querySelector(arguments[0]).open", selector)

    def wait_dialog(self, selector, is_open=True):
        self.wait(lambda: self.dialog_open(selector) == is_open,
                  "dialog %s did not %s" % (selector, "open" if is_open else "close"))

    def active_id(self):
        return self.driver.execute_script("return document.activeElement && document.activeElement.id")

    def choose_file(self, selector, path):
        self.find(selector).send_keys(path)

    def ca_row(self, fp):
        return '#ca-rows tr.ca-row[data-fingerprint="%s"]' % fp

    def screenshot(self, directory, name, selector=None):
        path = os.path.join(directory, name + ".png")
        if selector:
            element = self.find(selector)
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", element)
            element.screenshot(path)
        else:
            self.driver.save_screenshot(path)

    def full_page_screenshot(self, directory, name):
        size = self.driver.get_window_size()
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(size["width"], max(height + 20, 400))
        self.driver.execute_script("window.scrollTo(0, 0)")
        try:
            self.driver.save_screenshot(os.path.join(directory, name + ".png"))
        finally:
            self.driver.set_window_size(size["width"], size["height"])

    def download(self, start_download, name):
        """Runs start_download and returns the bytes of the file it saved as name."""
        target = os.path.join(self.downloads, name)
        if os.path.exists(target):
            os.unlink(target)
        start_download()
        self.wait(lambda: os.path.exists(target) and not os.path.exists(target + ".crdownload")
                  and os.path.getsize(target) > 0, "no download named " + name)
        with open(target, "rb") as f:
            return f.read()

    def console_errors(self):
        try:
            return [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]
        except WebDriverException:
            return []


# ------------------------------------------------------------------ the cases

class Test:
    def __init__(self, certd, repo, work, screenshots):
        self.certd = certd
        self.repo = repo
        self.work = work
        self.screenshots = screenshots
        self.stack = Stack(work)
        self.results = []
        self.browser = None
        self.hostname = socket.gethostname()

    def case(self, name, function):
        started = time.monotonic()
        try:
            function()
        except Exception as error:  # report and go on with the next case
            self.results.append((name, False))
            lines = str(error).strip().splitlines()
            why = lines[0].strip() if lines else type(error).__name__
            print("not ok %d - %s: %s" % (len(self.results), name, why), flush=True)  # details go to stderr
            if not isinstance(error, Failure):
                traceback.print_exc()
            if self.browser:
                try:
                    self.browser.screenshot(self.screenshots, "failure-" + name)
                except WebDriverException:
                    pass
        else:
            self.results.append((name, True))
            print("ok %d - %s (%.1f s)" % (len(self.results), name, time.monotonic() - started), flush=True)

    def setup(self):
        self.cert = make_certificates(os.path.join(self.work, "certs"), self.hostname)
        self.stack.start_bus()
        self.stack.start_certd(self.certd)
        # The page as it would be installed: <datadir>/cockpit/certd/
        self.xdg = os.path.join(self.work, "xdg")
        page = os.path.join(self.xdg, "cockpit", "certd")
        os.makedirs(page)
        for name in ("manifest.json", "index.html", "certd.js", "certd.css"):
            shutil.copy(os.path.join(self.repo, "cockpit", name), page)

    # ---- admin (root)

    def test_page_loads(self):
        port = self.stack.start_cockpit("cockpit-ws-admin", self.xdg)
        self.browser = Browser(self.work, "admin")
        self.browser.open(port)
        b = self.browser
        b.wait_text("#host-details", self.hostname)
        assert "Generated by the appliance CA" in b.text("#host-details"), b.text("#host-details")
        b.wait_text("#page-status", "certd ")
        if b.visible("#access-notice"):
            raise Failure("root sees the read-only notice")
        b.wait(lambda: all(button.is_enabled() for button in b.find_all("[data-admin]")),
               "administrator's buttons stay disabled")
        b.wait(lambda: b.visible("#expiry-empty"), "the empty message list is not shown")

    def test_service_selector(self):
        b = self.browser
        b.click("label[for=service-postgresql]")
        b.wait_text("#service-description", "PostgreSQL")
        postgresql = self.stack.property(ROOT + "/host/postgresql", "org.certd.Certd1.HostCertificate",
                                         "Fingerprint")
        b.wait(lambda: postgresql.upper()[:2] in b.text("#host-technical"), "PostgreSQL details not shown")
        b.click("label[for=service-https]")
        b.wait_text("#service-description", "web interface")
        https = self.stack.property(ROOT + "/host/https", "org.certd.Certd1.HostCertificate", "Fingerprint")
        formatted = ":".join(https.upper()[i:i + 2] for i in range(0, 64, 2))
        b.wait_text("#host-technical", formatted)
        b.screenshot(self.screenshots, "host-certificates", "#host")

    def test_ca_import_via_file_chooser(self):
        b = self.browser
        b.click("#ca-new")
        b.wait_dialog("#import-dialog")
        assert b.active_id() == "import-file", "focus is not on the file chooser but on " + str(b.active_id())
        assert not b.find("#import-upload").is_enabled(), "Upload is enabled before a file is chosen"
        b.choose_file("#import-file", self.cert("bundle.pem"))
        b.wait(lambda: b.find("#import-upload").is_enabled(), "Upload stays disabled after choosing a file")
        b.click("#import-upload")
        b.wait_visible("#import-review", "the details were not shown after Upload")
        details = b.text("#import-details")
        for expected in ("Certd Test Root CA", "Unlimited", "EC P-256"):
            assert expected in details, "%r missing from the details: %s" % (expected, details)
        fp = fingerprint(self.cert("root.pem"))
        assert ":".join(fp.upper()[i:i + 2] for i in range(0, 64, 2)) in details, "fingerprint missing"
        b.wait_text("#import-ignored", "1 more certificate")
        assert not b.visible("#import-already"), "a new certificate is called already imported"
        assert not self.stack.ca_paths(), "Upload stored the certificate before Import"
        b.screenshot(self.screenshots, "ca-import-details", "#import-dialog")
        b.click("#import-confirm")
        b.wait_dialog("#import-dialog", False)
        b.wait_visible(b.ca_row(fp), "the imported CA has no row")
        assert self.stack.ca_paths() == [ROOT + "/ca/" + fp], self.stack.ca_paths()
        row = b.text(b.ca_row(fp))
        assert "Certd Test Root CA" in row and fp.upper()[:2] in row, row

    def test_ca_already_imported_and_escape(self):
        b = self.browser
        b.find("#ca-new").send_keys(Keys.ENTER)  # keyboard
        b.wait_dialog("#import-dialog")
        b.choose_file("#import-file", self.cert("root.der"))
        b.click("#import-upload")
        b.wait_visible("#import-already", "no note that the certificate is already imported")
        assert "already imported" in b.text("#import-already")
        assert not b.find("#import-confirm").is_enabled(), "Import is enabled for an imported certificate"
        assert not b.visible("#import-ignored"), "a DER file with one certificate shows ignored certificates"
        b.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        b.wait_dialog("#import-dialog", False)
        b.wait(lambda: b.active_id() == "ca-new", "focus did not return to New Certificate")
        # Once more, and follow the note to the certificate's row
        b.click("#ca-new")
        b.wait_dialog("#import-dialog")
        b.choose_file("#import-file", self.cert("root.pem"))
        b.click("#import-upload")
        b.wait_visible("#import-already")
        b.click("#import-already button")
        b.wait_dialog("#import-dialog", False)
        fp = fingerprint(self.cert("root.pem"))
        b.wait_visible("#ca-detail-" + fp, "Show it in the list did not open the row's details")
        b.click(b.ca_row(fp) + " .row-toggle")
        b.wait_hidden("#ca-detail-" + fp)

    def test_ca_details_and_export(self):
        b = self.browser
        fp = fingerprint(self.cert("root.pem"))
        row = b.ca_row(fp)
        b.click(row + " .row-toggle")
        b.wait_visible("#ca-detail-" + fp, "the row's details did not open")
        assert "Signature algorithm" in b.text("#ca-detail-" + fp)
        b.click(row + " .row-toggle")
        b.wait_hidden("#ca-detail-" + fp)

        def export(fmt):
            b.click(row + " .row-actions button:first-child")
            b.wait_dialog("#export-dialog")
            b.click("label[for=export-%s]" % fmt)
            b.click("#export-confirm")
        pem = b.download(lambda: export("pem"), "Certd-Test-Root-CA.pem")
        b.wait_dialog("#export-dialog", False)
        with open(self.cert("root.pem"), "rb") as f:
            assert pem.strip() == f.read().strip(), "the PEM export differs from the imported certificate"
        der = b.download(lambda: export("der"), "Certd-Test-Root-CA.der")
        with open(self.cert("root.der"), "rb") as f:
            assert der == f.read(), "the DER export differs from the imported certificate"

    def test_live_busctl_changes(self):
        b = self.browser
        with open(self.cert("busctl.der"), "rb") as f:
            path = self.stack.call_bytes(ROOT, MANAGER[2], "ImportCACertificate", f.read())["data"][0]
        fp = path.rsplit("/", 1)[1]
        b.wait_visible(b.ca_row(fp), "a CA imported with busctl did not appear")
        b.wait_text("#ca-count", "(2)")
        self.stack.busctl("call", "org.certd.Certd1", path, "org.certd.Certd1.CACertificate", "Delete")
        b.wait(lambda: not b.find_all(b.ca_row(fp)), "a CA deleted with busctl did not disappear")
        b.wait_text("#ca-count", "(1)")

    def test_pending_request_shown(self):
        b = self.browser
        host = ROOT + "/host/https"
        self.stack.busctl("call", "org.certd.Certd1", host, "org.certd.Certd1.HostCertificate", "CreateRequest",
                          "a{sv}", "1", "Organization", "s", "Example AG")
        b.wait(lambda: "O=Example AG" in b.text("#host"), "the pending request is not shown")
        self.stack.busctl("call", "org.certd.Certd1", host, "org.certd.Certd1.HostCertificate", "CancelRequest")
        b.wait(lambda: "Pending request" not in b.text("#host"), "a cancelled request is still shown")

    def test_expiring_certificate_listed(self):
        b = self.browser
        b.click("#ca-new")
        b.wait_dialog("#import-dialog")
        b.choose_file("#import-file", self.cert("expiring.pem"))
        b.click("#import-upload")
        b.wait_visible("#import-review")
        b.wait_text("#import-details", "9 days left")
        b.click("#import-confirm")
        b.wait_dialog("#import-dialog", False)
        fp = fingerprint(self.cert("expiring.pem"))
        path = ROOT + "/ca/" + fp
        item = '#expiry-list li[data-path="%s"]' % path
        b.wait_visible(item, "the expiring CA is not listed under Messages")
        text = b.text(item)
        assert "Certd Test Expiring CA" in text and "9 days left" in text, text
        b.wait_text(b.ca_row(fp), "Expires soon")
        # The daily check announces it: a live notification
        self.stack.busctl("call", *MANAGER, "CheckExpiry")
        b.wait_text("#notification-list", "Certd Test Expiring CA", "no notification from CertificateExpiring")
        assert "in 9 days" in b.text("#notification-list"), b.text("#notification-list")

    def test_ca_reload(self):
        b = self.browser
        shutil.copy(self.cert("reload.pem"), os.path.join(self.stack.state_dir, "ca", "added-by-hand.pem"))
        shutil.copy(self.cert("expired.pem"), os.path.join(self.stack.state_dir, "ca", "expired-by-hand.pem"))
        b.click("#ca-reload")
        expected = "Reloaded: 4 CA certificates"
        b.wait_text("#reload-result", expected)
        assert len(self.stack.ca_paths()) == 4, self.stack.ca_paths()
        b.wait_visible(b.ca_row(fingerprint(self.cert("reload.pem"))), "the reloaded CA has no row")
        expired_fp = fingerprint(self.cert("expired.pem"))
        b.wait_text(b.ca_row(expired_fp), "Expired")
        item = '#expiry-list li[data-path="%s/ca/%s"]' % (ROOT, expired_fp)
        b.wait_visible(item, "the expired CA is not listed under Messages")
        assert "expired on" in b.text(item), b.text(item)
        b.wait_text("#notification-list", "Certd Test Expired CA (CA certificate) expired on",
                    "no notification from CertificateExpired")
        b.screenshot(self.screenshots, "messages", "#messages")
        b.screenshot(self.screenshots, "ca-certificates", "#ca")

    def test_ca_delete(self):
        b = self.browser
        fp = fingerprint(self.cert("root.pem"))
        b.click(b.ca_row(fp) + " .row-actions .btn-danger-link")
        b.wait_dialog("#delete-dialog")
        assert "Certd Test Root CA" in b.text("#delete-title"), b.text("#delete-title")
        assert b.driver.switch_to.active_element.text == "Cancel", "focus is not on Cancel in the delete dialog"
        b.screenshot(self.screenshots, "ca-delete-dialog", "#delete-dialog")
        b.click("#delete-confirm")
        b.wait_dialog("#delete-dialog", False)
        b.wait(lambda: not b.find_all(b.ca_row(fp)), "the deleted CA's row is still there")
        assert ROOT + "/ca/" + fp not in self.stack.ca_paths(), "certd still has the deleted CA"
        b.wait_text("#ca-count", "(3)")
        b.wait(lambda: b.text("#reload-result") == "", "Reload's count stays after the list changed")

    def test_degraded_shown(self):
        b = self.browser
        trust = os.path.join(self.stack.state_dir, "trust")
        run(["chattr", "+i", trust])  # the trust bundle cannot be rewritten: certd is degraded
        try:
            with open(self.cert("busctl.der"), "rb") as f:
                path = self.stack.call_bytes(ROOT, MANAGER[2], "ImportCACertificate", f.read())["data"][0]
            b.wait_visible("#degraded", "Degraded is not shown")
            b.wait_text("#problems", "trust bundle: ")
            b.screenshot(self.screenshots, "messages-degraded", "#messages")
        finally:
            run(["chattr", "-i", trust])
        # A change that rewrites the bundle ends it (certd's own retry is not waited for)
        self.stack.busctl("call", "org.certd.Certd1", path, "org.certd.Certd1.CACertificate", "Delete")
        b.wait_hidden("#degraded", "Degraded stays shown after certd recovered")

    def test_keyboard_generate_dialog(self):
        b = self.browser
        b.find("#host-generate").send_keys(Keys.ENTER)
        b.wait_dialog("#generate-dialog")
        assert b.active_id() == "generate-hostname", "focus is not on the host name but on " + str(b.active_id())
        assert b.find("#generate-hostname").get_attribute("value") == self.hostname, "host name not prefilled"
        b.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        b.wait_dialog("#generate-dialog", False)
        b.wait(lambda: b.active_id() == "host-generate", "focus did not return to Generate")

    def test_generate_for_new_hostname(self):
        b = self.browser
        path = ROOT + "/host/https"
        iface = "org.certd.Certd1.HostCertificate"
        before = self.stack.property(path, iface, "Fingerprint")
        b.click("#host-generate")
        b.wait_dialog("#generate-dialog")
        hostname = b.find("#generate-hostname")
        hostname.clear()
        hostname.send_keys("probe.example.test")
        b.click("#generate-advanced summary")
        Select(b.find("#generate-keytype")).select_by_value("ec-p384")
        days = b.find("#generate-days")
        days.clear()
        days.send_keys("100")
        b.find("#generate-names").send_keys("probe.internal, 192.0.2.7")
        b.screenshot(self.screenshots, "host-generate-dialog", "#generate-dialog")
        b.click("#generate-confirm")
        b.wait_dialog("#generate-dialog", False)
        b.wait_text("#host-details", "probe.example.test")
        assert self.stack.property(path, iface, "CommonName") == "probe.example.test"
        assert self.stack.property(path, iface, "KeyType") == "EC P-384", self.stack.property(path, iface, "KeyType")
        assert self.stack.property(path, iface, "Fingerprint") != before
        lifetime = self.stack.property(path, iface, "NotAfter") - self.stack.property(path, iface, "NotBefore")
        assert 100 * 86400 <= lifetime <= 100 * 86400 + 3600 + 120, lifetime
        names = b.text("#host-details")
        for name in ("probe.internal", "192.0.2.7", "probe"):
            assert name in names, names
        b.wait_text("#host-status", "probe.example.test")
        # The system's host name is not probe.example.test: the page says so
        b.wait_visible("#hostname-warning", "no warning about the host name mismatch")
        assert self.hostname in b.text("#hostname-warning")
        b.screenshot(self.screenshots, "host-hostname-warning", "#host")

    def test_upload_encrypted_key_refused(self):
        b = self.browser
        before = self.stack.property(ROOT + "/host/https", "org.certd.Certd1.HostCertificate", "Fingerprint")
        b.click("#host-upload")
        b.wait_dialog("#upload-dialog")
        assert not b.find("#upload-confirm").is_enabled()
        b.choose_file("#upload-certificate", self.cert("server.pem"))
        b.choose_file("#upload-key", self.cert("server-encrypted.key"))
        b.click("#upload-confirm")
        b.wait_text("#upload-error", "Private keys protected by a passphrase are not supported",
                    "certd's refusal of an encrypted key is not shown")
        assert b.dialog_open("#upload-dialog"), "the dialog closed on a refusal"
        assert self.stack.property(ROOT + "/host/https", "org.certd.Certd1.HostCertificate",
                                   "Fingerprint") == before, "a refused upload changed the certificate"
        b.screenshot(self.screenshots, "host-upload-refused", "#upload-dialog")

    def test_upload_certificate_and_key(self):
        b = self.browser
        b.choose_file("#upload-key", self.cert("server.key"))
        b.click("#upload-confirm")
        b.wait_dialog("#upload-dialog", False)
        b.wait_text("#host-details", "Certd Test Server")
        assert "Uploaded by an administrator" in b.text("#host-details")
        assert "uploaded.example.test" in b.text("#host-details")
        assert self.stack.property(ROOT + "/host/https", "org.certd.Certd1.HostCertificate", "Origin") == "uploaded"
        b.wait_hidden("#hostname-warning", "the host name warning stays for a certificate that matches")

    def test_upload_pkcs12(self):
        b = self.browser
        b.click("#host-upload")
        b.wait_dialog("#upload-dialog")
        assert not b.visible("#upload-pkcs12"), "the PKCS#12 file chooser shows before it is chosen"
        b.click("#upload-kind-pkcs12")
        b.wait_visible("#upload-passphrase")
        assert not b.visible("#upload-certificate"), "the certificate file chooser stays for a PKCS#12 upload"
        assert not b.find("#upload-confirm").is_enabled()
        b.choose_file("#upload-pkcs12", self.cert("server.pfx"))
        b.find("#upload-passphrase").send_keys("wrong")
        b.click("#upload-confirm")
        b.wait_text("#upload-error", "The passphrase does not open the PKCS#12 file",
                    "certd's refusal of a wrong passphrase is not shown")
        assert b.dialog_open("#upload-dialog"), "the dialog closed on a refusal"
        b.find("#upload-passphrase").clear()
        b.find("#upload-passphrase").send_keys("pfx secret")
        b.click("#upload-confirm")
        b.wait_dialog("#upload-dialog", False)
        b.wait_text("#host-details", "Certd Test PFX Server")
        assert self.stack.property(ROOT + "/host/https", "org.certd.Certd1.HostCertificate",
                                   "Fingerprint") == fingerprint(self.cert("pfx.pem"))

    def test_host_export(self):
        b = self.browser
        data = b.download(lambda: b.click("#host-export"), "https-Certd-Test-Server.pem")
        exported = self.stack.busctl("call", "org.certd.Certd1", ROOT + "/host/https",
                                     "org.certd.Certd1.HostCertificate", "Export", "s", "pem", json_output=True)
        assert data == bytes(exported["data"][0]), "the download differs from certd's Export"
        with open(self.cert("server.pem"), "rb") as f:
            assert f.read().strip() in data, "the export does not hold the uploaded certificate"
        ca = b.download(lambda: b.click("#appliance-ca-export"), "appliance-ca.pem")
        assert b"BEGIN CERTIFICATE" in ca

    def test_certd_restart(self):
        b = self.browser
        self.stack.stop_certd()
        b.wait_visible("#connection-error", "no message when certd stops")
        assert "not running" in b.text("#connection-error"), b.text("#connection-error")
        b.wait(lambda: not b.visible("#ca"), "the CA list stays while certd is gone")
        b.screenshot(self.screenshots, "certd-not-running")
        self.stack.start_certd(self.certd)
        # The page starts afresh by itself once certd owns its name again
        b.wait(lambda: b.find("#page").get_attribute("aria-busy") == "false" and not b.visible("#connection-error")
               and len(b.find_all("#ca-rows tr.ca-row")) == 3, "the page did not come back with certd")
        b.wait_text("#host-details", "Certd Test Server")

    def test_postgresql_expiring(self):
        b = self.browser
        b.click("label[for=service-postgresql]")
        b.wait_text("#service-description", "PostgreSQL")
        b.click("#host-generate")
        b.wait_dialog("#generate-dialog")
        assert "PostgreSQL" in b.text("#generate-title"), b.text("#generate-title")
        b.click("#generate-advanced summary")
        days = b.find("#generate-days")
        days.clear()
        days.send_keys("5")
        b.click("#generate-confirm")
        b.wait_dialog("#generate-dialog", False)
        item = '#expiry-list li[data-path="%s/host/postgresql"]' % ROOT
        b.wait_visible(item, "a host certificate expiring in 5 days is not listed under Messages")
        assert "PostgreSQL certificate" in b.text(item) and "4 days left" in b.text(item), b.text(item)
        b.wait_text("#host-details", "Expires soon")
        # "Show" in a message leads to the certificate
        b.click("label[for=service-https]")
        b.wait_text("#service-description", "web interface")
        b.click(item + " button")
        b.wait(lambda: b.find("#service-postgresql").is_selected(), "Show did not select PostgreSQL")
        assert b.active_id() == "service-postgresql", b.active_id()

    def test_narrow_window(self):
        b = self.browser
        b.driver.set_window_size(400, 900)
        try:
            b.wait(lambda: b.driver.execute_script(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
                "the page scrolls sideways at 400 px")
            b.full_page_screenshot(self.screenshots, "narrow-window")
        finally:
            b.driver.set_window_size(1280, 800)
        b.driver.execute_script("window.scrollTo(0, 0)")
        b.screenshot(self.screenshots, "overview-1280x800")
        b.full_page_screenshot(self.screenshots, "full-page")
        errors = b.console_errors()
        if errors:
            raise Failure("browser console errors: %s" % errors)

    # ---- viewer (nobody)

    def test_viewer_read_only(self):
        self.browser.quit()
        self.browser = None
        # nobody must reach the page's files
        for directory in (self.work, self.xdg, os.path.join(self.xdg, "cockpit"),
                          os.path.join(self.xdg, "cockpit", "certd")):
            os.chmod(directory, 0o755)
        port = self.stack.start_cockpit("cockpit-ws-viewer", self.xdg, user=NOBODY)
        self.browser = Browser(self.work, "viewer")
        b = self.browser
        b.open(port)
        b.wait_visible("#access-notice", "no read-only notice for nobody")
        assert "administrative access" in b.text("#access-notice")
        buttons = b.find_all("[data-admin]")
        assert len(buttons) >= 7, len(buttons)  # Generate, Upload, Reload, New Certificate, a Delete per row
        for button in buttons:
            assert not button.is_enabled(), button.get_attribute("id") or button.get_attribute("aria-label")
            assert button.get_attribute("title") == "Needs administrative access"
        # Everything readable is there
        b.wait_text("#host-details", "Certd Test Server")
        b.wait(lambda: len(b.find_all("#ca-rows tr.ca-row")) == 3, "the viewer does not see the CA rows")
        b.wait_text("#expiry-list", "Certd Test Expiring CA", "the viewer does not see expiring certificates")
        b.wait_text("#expiry-list", "Certd Test Expired CA")
        assert b.find("#host-export").is_enabled(), "Export is disabled for the viewer"
        b.full_page_screenshot(self.screenshots, "viewer")

    def test_viewer_access_denied_inline(self):
        b = self.browser
        # Should a call be made anyway, certd refuses it and the page says why
        b.driver.execute_script("document.getElementById('ca-reload').disabled = false")
        b.click("#ca-reload")
        b.wait_text("#ca-error", "Administrative access is needed", "AccessDenied is not shown inline")
        assert "uid %d" % NOBODY in b.text("#ca-error"), b.text("#ca-error")

    def run(self):
        self.setup()
        cases = [
            ("page_loads_as_admin", self.test_page_loads),
            ("service_selector", self.test_service_selector),
            ("ca_import_via_file_chooser", self.test_ca_import_via_file_chooser),
            ("ca_already_imported_and_escape", self.test_ca_already_imported_and_escape),
            ("ca_details_and_export_pem_der", self.test_ca_details_and_export),
            ("live_busctl_import_and_delete", self.test_live_busctl_changes),
            ("expiring_certificate_listed", self.test_expiring_certificate_listed),
            ("ca_reload_with_count", self.test_ca_reload),
            ("ca_delete_confirmed", self.test_ca_delete),
            ("degraded_and_problems_shown", self.test_degraded_shown),
            ("keyboard_generate_dialog", self.test_keyboard_generate_dialog),
            ("generate_https_for_new_hostname", self.test_generate_for_new_hostname),
            ("upload_pkcs12_with_passphrase", self.test_upload_pkcs12),
            ("upload_encrypted_key_refused", self.test_upload_encrypted_key_refused),
            ("upload_certificate_and_key", self.test_upload_certificate_and_key),
            ("host_export_pem", self.test_host_export),
            ("postgresql_expiring_listed_and_shown", self.test_postgresql_expiring),
            ("narrow_window_and_console", self.test_narrow_window),
            ("certd_restart_reconnects", self.test_certd_restart),
            ("viewer_read_only", self.test_viewer_read_only),
            ("viewer_access_denied_inline", self.test_viewer_access_denied_inline),
        ]
        for name, function in cases:
            self.case(name, function)

    def close(self):
        if self.browser:
            self.browser.quit()
            self.browser = None
        self.stack.stop()


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    certd, repo = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix="certd-cockpit-")
    if os.environ.get("CERTD_SCREENSHOTS"):
        screenshots = os.path.abspath(os.environ["CERTD_SCREENSHOTS"])
        os.makedirs(screenshots, exist_ok=True)
    else:
        screenshots = tempfile.mkdtemp(prefix="certd-cockpit-screenshots-")

    def terminate(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)

    started = time.monotonic()
    become_subreaper()
    test = Test(certd, repo, work, screenshots)
    try:
        test.run()
    except Exception as error:  # the cases report their own failures: this is the setup's
        test.results.append(("setup", False))
        print("not ok %d - setup: %s" % (len(test.results), (str(error).strip().splitlines() or [type(error).__name__])[0]),
              flush=True)
        if not isinstance(error, Failure):
            traceback.print_exc()
    except SystemExit as error:  # SIGTERM/SIGINT: stop everything, report, exit non-zero
        test.results.append(("interrupted", False))
        print("not ok %d - interrupted: stopped by a signal (exit status %s)" % (len(test.results), error.code),
              flush=True)
    finally:
        test.close()
        stop_orphans()
    print("1..%d" % len(test.results), flush=True)  # TAP's plan, at the end
    passed = sum(1 for _, ok in test.results if ok)
    failed = len(test.results) - passed
    if failed:
        for name in ("certd", "dbus-daemon", "cockpit-ws-admin", "cockpit-ws-viewer"):
            logfile = os.path.join(work, name + ".log")
            if os.path.exists(logfile):
                with open(logfile, errors="replace") as f:
                    log("---- %s (last lines)\n%s" % (name, "".join(f.readlines()[-20:])))
    log("screenshots: %s; %.0f s" % (screenshots, time.monotonic() - started))
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    else:
        log("work directory kept: %s" % work)
    log("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

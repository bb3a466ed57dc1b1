"""The scale suite's own server starts with prefork workers and answers a login."""


def test_prefork_server_answers_a_login(serve):
    with serve("--workers=2", "--max-cron-threads=0") as server:
        admin = server.login("admin", "admin")
        assert admin.uid
        assert admin.call("res.users", "search_count", [("login", "=", "salesperson")]) == 1

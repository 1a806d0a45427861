"""Animaze WebSocket API: the pure protocol core and the asyncio client beside it.

Lowest layer first:

* :mod:`.errors` - the exception hierarchy of this boundary.
* :mod:`.overrides` - the catalogue of the 19 override behaviours and their wire spellings.
* :mod:`.messages` - triggers and frame parsing; :mod:`.requests` / :mod:`.responses` - typed
  requests and responses with ``to_wire()`` / ``from_wire()`` (:mod:`.requests` gathers the
  requests of :mod:`.request_base`, :mod:`.transform_requests` and :mod:`.override_requests`).
* :mod:`.protocol` - sans-I/O connection state: ``send_request()`` / ``data_to_send()`` /
  ``receive_data()`` and request/response correlation.
* :mod:`.geometry` - Euler angles <-> the right-handed (OpenGL) quaternions the API uses.
* :mod:`.transport` - a WebSocket link on websockets' sans-I/O ``ClientProtocol``.
* :mod:`.client` - :class:`AnimazeClient`: reconnects, timeouts and observers around the two.
* :mod:`.io_thread` - :class:`ThreadedClient`, the client on its own thread: the app's link;
  :mod:`.loop_thread` - the generic asyncio-loop-in-a-thread it runs on; :mod:`.link` -
  :class:`AnimazeLink`, what the GUI needs of either client.
"""

-- wrk script: the WhatsApp Cloud API send request the dispatcher makes
-- for a notice (utility template, three parameters), to a new number each
-- time. Token and phone-number id come from the environment.
local token = os.getenv("WA_ACCESS_TOKEN")
local n = 0
wrk.method = "POST"
wrk.path = "/v21.0/" .. os.getenv("DEMO_SENDER") .. "/messages"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"

request = function()
   n = n + 1
   local body = string.format('{"messaging_product":"whatsapp","recipient_type":"individual",' ..
      '"to":"39341%07d","type":"template","template":{"name":"avviso_comune","language":' ..
      '{"code":"it"},"components":[{"type":"body","parameters":[{"type":"text","text":' ..
      '"Acqua sospesa"},{"type":"text","text":"Domani dalle 8 alle 14 in via Roma e piazza ' ..
      'Garibaldi manca l\'acqua per lavori alla rete idrica. Scusate il disagio."},{"type":"text","text":' ..
      '"https://www.comune.demo.it/c/demo/avvisi/0"}]}]},' ..
      '"biz_opaque_callback_data":"bench:wrk:%d"}', n % 10000000, n)
   return wrk.format(nil, nil, nil, body)
end

// Running requests and batches: one request at a time per connection, in order. A
// request that needs the engine submits its commands and waits for their replies
// (which come back through the mailbox); a batch's Sleep waits on a timer. Neither ever
// blocks the service thread.
#include <spdlog/spdlog.h>

#include "control/obs/obs_service.h"

namespace hallcast::control::obs {
namespace {

void pause_over(lws_sorted_usec_list_t* sul) {
  auto* timer = reinterpret_cast<Timer*>(sul);
  timer->service->on_pause_over(timer->wsi);
}

// Batch variables: `inputVariables` {requestDataField: variableName} fill the request's
// data before it runs.
void apply_input_variables(RequestSpec& request, const nlohmann::json& variables) {
  if (!request.input_variables.is_object() || variables.empty()) {
    return;
  }
  if (!request.has_data) {
    request.data = nlohmann::json::object();
  }
  for (const auto& [field, name] : request.input_variables.items()) {
    if (name.is_string() && variables.contains(name.get<std::string>())) {
      request.data[field] = variables.at(name.get<std::string>());
      request.has_data = true;
    }
  }
}

// `outputVariables` {variableName: responseDataField} keep parts of the answer.
void apply_output_variables(const RequestSpec& request, const Result& result,
                            nlohmann::json& variables) {
  if (!request.output_variables.is_object() || !result.data.is_object()) {
    return;
  }
  for (const auto& [name, field] : request.output_variables.items()) {
    if (field.is_string() && result.data.contains(field.get<std::string>())) {
      variables[name] = result.data.at(field.get<std::string>());
    }
  }
}

}  // namespace

void ObsService::accept_job(lws* wsi, Connection& c, Job job) {
  if (c.waiting.size() >= options_.max_waiting_jobs) {
    // Bounds what one client can pile up; it is told at once and may send again.
    const Result busy = Result::error(Status::not_ready, "Too many requests are waiting.");
    if (job.batch) {
      send(wsi, c, batch_response(job, std::vector<Result>(job.requests.size(), busy)));
    } else {
      send(wsi, c, request_response(job.requests.front(), busy));
    }
    return;
  }
  c.waiting.push_back(std::move(job));
  advance(wsi, c);
}

void ObsService::advance(lws* wsi, Connection& c) {
  while (c.id != 0) {
    if (!c.running) {
      if (c.waiting.empty()) {
        return;
      }
      c.running.emplace();
      c.running->job = std::move(c.waiting.front());
      c.waiting.pop_front();
    }
    Running& run = *c.running;
    if (run.work || run.pausing) {
      return;  // waiting for the engine or the timer
    }
    const bool halted = run.job.halt_on_failure && run.job.execution != Execution::parallel &&
                        !run.results.empty() && !run.results.back().ok();
    if (halted || run.results.size() == run.job.requests.size()) {
      send(wsi, c,
           run.job.batch ? batch_response(run.job, run.results)
                         : request_response(run.job.requests.front(), run.results.front()));
      c.running.reset();
      continue;
    }
    RequestSpec& request = run.job.requests[run.results.size()];
    apply_input_variables(request, run.job.variables);
    // Each request sees the show as it is when its turn comes: a toggle reads what the
    // request before it changed.
    const auto snapshot = engine_.snapshot();
    std::vector<Announcement> announcements;
    Context context{*snapshot,        studio_,       run.job.execution, config_,
                    options_.version, c.messages_in, c.messages_out,    &announcements};
    Step step = plan_request(request, context);
    for (const auto& announcement : announcements) {
      broadcast({announcement.type, announcement.intent, announcement.data});
    }
    if (auto* result = std::get_if<Result>(&step)) {
      complete_step(wsi, c, std::move(*result));
      continue;
    }
    if (auto* pause = std::get_if<Pause>(&step)) {
      run.pausing = true;
      lws_sul_schedule(context_.get(), 0, &c.pause_timer.sul, pause_over,
                       static_cast<lws_usec_t>(pause->duration.count()) * LWS_US_PER_MS);
      return;
    }
    auto& work = std::get<EngineWork>(step);
    if (work.commands.empty()) {
      complete_step(wsi, c, work.finish({}));
      continue;
    }
    run.token = next_token_++;
    run.replies.clear();
    for (auto& command : work.commands) {
      // Runs on the engine thread: hand the typed reply over, nothing more.
      engine_.submit(std::move(command),
                     [mailbox = mailbox_, client = c.id, token = run.token](show::Reply reply) {
                       mailbox->post(ReplyItem{client, RequestId{token}, std::move(reply), false});
                     });
    }
    run.work = std::move(work);
    return;
  }
}

void ObsService::complete_step(lws*, Connection& c, Result result) {
  Running& run = *c.running;
  if (run.job.batch) {
    apply_output_variables(run.job.requests[run.results.size()], result, run.job.variables);
  }
  run.results.push_back(std::move(result));
}

void ObsService::on_reply(const ReplyItem& item) {
  auto client = clients_.find(item.client);
  if (client == clients_.end()) {
    return;  // it left while the engine worked
  }
  lws* wsi = client->second;
  Connection& c = connection(wsi);
  const auto* token = std::get_if<std::int64_t>(&item.id);
  if (!c.running || !c.running->work || token == nullptr || *token != c.running->token) {
    return;
  }
  Running& run = *c.running;
  run.replies.push_back(item.reply);
  if (run.replies.size() < run.work->commands.size()) {
    return;
  }
  Result result = run.work->finish(run.replies);
  run.work.reset();
  complete_step(wsi, c, std::move(result));
  advance(wsi, c);
}

void ObsService::on_pause_over(lws* wsi) {
  auto it = connections_.find(wsi);
  if (it == connections_.end() || !it->second.running) {
    return;
  }
  Connection& c = it->second;
  c.running->pausing = false;
  complete_step(wsi, c, Result::success());
  advance(wsi, c);
}

}  // namespace hallcast::control::obs

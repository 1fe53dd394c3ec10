package io.spendshift.run;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.spendshift.common.DomainException;
import io.spendshift.common.ProblemException;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.portfolio.PortfolioService;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;
import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

import java.util.List;
import java.util.TimeZone;

/**
 * Keeps one Quartz job per scheduled portfolio, on the portfolio's cron in its time zone. Quartz runs on the
 * JDBC store of the service's database, clustered, so each slot fires on exactly one instance. After
 * downtime a missed slot runs once, not once per missed slot (fire-and-proceed misfire policy).
 */
@ApplicationScoped
public class ScheduleService {

    private static final Logger LOG = Logger.getLogger(ScheduleService.class);
    static final String GROUP = "portfolio-runs";

    private final Scheduler scheduler;

    ScheduleService(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    void onStart(@Observes @Priority(30) StartupEvent ev) {
        List<PortfolioService.PortfolioChanged> all = QuarkusTransaction.requiringNew().call(() ->
                Portfolio.<Portfolio>listAll().stream()
                        .map(p -> new PortfolioService.PortfolioChanged(p.key, p.schedule, p.timeZone)).toList());
        all.forEach(this::sync);
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) PortfolioService.PortfolioChanged changed) {
        sync(changed);
    }

    /** Creates, updates or removes the portfolio's job to match its schedule. */
    public void sync(PortfolioService.PortfolioChanged p) {
        JobKey job = JobKey.jobKey(p.key(), GROUP);
        TriggerKey trigger = TriggerKey.triggerKey(p.key(), GROUP);
        try {
            if (p.schedule() == null) {
                if (scheduler.deleteJob(job)) {
                    LOG.infof("Schedule of portfolio %s removed", p.key());
                }
                return;
            }
            Trigger t = TriggerBuilder.newTrigger().withIdentity(trigger).forJob(job)
                    .withSchedule(CronScheduleBuilder.cronSchedule(p.schedule())
                            .inTimeZone(TimeZone.getTimeZone(p.timeZone()))
                            .withMisfireHandlingInstructionFireAndProceed())
                    .build();
            Trigger existing = scheduler.getTrigger(trigger);
            if (existing instanceof org.quartz.CronTrigger ct && ct.getCronExpression().equals(p.schedule())
                    && ct.getTimeZone().getID().equals(p.timeZone())) {
                return;
            }
            JobDetail detail = JobBuilder.newJob(PortfolioRunJob.class).withIdentity(job)
                    .usingJobData("portfolio", p.key()).storeDurably().requestRecovery().build();
            scheduler.addJob(detail, true);
            if (existing == null) {
                scheduler.scheduleJob(t);
            } else {
                scheduler.rescheduleJob(trigger, t);
            }
            LOG.infof("Portfolio %s scheduled: '%s' (%s)", p.key(), p.schedule(), p.timeZone());
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule portfolio " + p.key() + ": " + e.getMessage(), e);
        }
    }

    /** The cron currently scheduled for a portfolio, or null. */
    public String scheduled(String key) {
        try {
            Trigger t = scheduler.getTrigger(TriggerKey.triggerKey(key, GROUP));
            return t instanceof org.quartz.CronTrigger ct ? ct.getCronExpression() : null;
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a portfolio's cycle when its trigger fires; a slot that finds a run in progress is skipped. */
    @DisallowConcurrentExecution
    public static class PortfolioRunJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            String key = context.getMergedJobDataMap().getString("portfolio");
            // a slot recovered after its instance died keeps the fire time it had there
            java.util.Date slot = context.getScheduledFireTime();
            if (context.isRecovering() && context.getMergedJobDataMap()
                    .containsKey(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS)) {
                slot = new java.util.Date(Long.parseLong(context.getMergedJobDataMap()
                        .getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS)));
                LOG.infof("Recovering slot %s of portfolio %s, left by a stopped instance", slot.toInstant(), key);
            }
            try {
                Arc.container().instance(RunService.class).get().run(key, null, false, Run.Trigger.SCHEDULED, io.spendshift.security.Actors.SCHEDULER,
                        slot == null ? null : slot.toInstant());
            } catch (DomainException | ProblemException e) {
                LOG.warnf("Scheduled run of %s skipped: %s", key, e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "Scheduled run of %s failed", key);
            }
        }
    }
}

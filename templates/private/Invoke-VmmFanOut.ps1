function Invoke-VmmFanOut {
    <#
    .SYNOPSIS
        Runs one public cmdlet of this module on several servers at once, through PSSessions, and writes
        each server's results with its ComputerName.
    .DESCRIPTION
        The sessions come from -Session, or are opened from -ComputerName (WinRM, with -Credential; or SSH,
        as [user@]host[:port], when -KeyFilePath is given) and closed at the end. At most -ThrottleLimit
        servers run at a time.

        Module: the module's own files (signed, byte for byte) are sent into each session, written to a
        per-run temporary folder and imported from there, then removed; nothing needs to be installed on the
        servers, AllSigned execution policy holds, and every server runs exactly the caller's version. A
        session that already has a VmmBackup of another version loaded is refused (its item is Failed) rather
        than changed under its owner.

        Each parameter named in -ServerFolderParameter gets the server's own subfolder (<value>\<server>):
        every server writes its own store, so servers never share a lock or a set.

        A server that cannot be reached, whose session breaks (process killed, or frozen until the
        session's keepalives give up), or that has not finished after -OperationTimeoutSec seconds, gives
        one error naming it and the reason; the other servers go on. Results are written to the pipeline as
        they arrive; once every server is done, the summary (information stream, tag VmmBackup.FanOutSummary,
        and verbose lines), then the errors, so that -ErrorAction Stop ends the command only then.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)] [System.Management.Automation.PSCmdlet] $Caller,
        [Parameter(Mandatory = $true)] [string] $CommandName,
        [Parameter(Mandatory = $true)] [hashtable] $Parameters,
        [string[]] $ServerFolderParameter = @(),
        [scriptblock] $NewFailedItem,
        [object[]] $Session,
        [string[]] $ComputerName,
        [System.Management.Automation.PSCredential] $Credential,
        [string] $KeyFilePath,
        [hashtable] $SshOption,
        [int] $ThrottleLimit = 32,
        [int] $OperationTimeoutSec = 0
    )
    $runStart = Get-Date
    $module = $MyInvocation.MyCommand.Module
    $version = $module.Version.ToString()
    $activity = "$CommandName on library servers"
    $progressId = 1

    # Parameters the servers get: everything but the fan-out parameters (and never the caller's preferences).
    $fanOutNames = @('Session', 'ComputerName', 'Credential', 'KeyFilePath', 'SshOption', 'ThrottleLimit', 'OperationTimeoutSec')
    $common = @{}
    foreach ($key in $Parameters.Keys) {
        if ($fanOutNames -notcontains $key) { $common[$key] = $Parameters[$key] }
    }

    # One entry per server, in the order given.
    $servers = New-Object -TypeName System.Collections.Generic.List[object]
    $newServer = {
        param([string] $Name, $ServerSession, [bool] $Owned, [string] $Reason)
        $folder = [regex]::Replace($Name, '[^A-Za-z0-9._-]', '_')
        [pscustomobject]@{
            ComputerName = $Name; Folder = $folder; Session = $ServerSession; Owned = $Owned; Job = $null
            State = 'Pending'; Reason = $Reason; Output = (New-Object -TypeName System.Collections.Generic.List[object])
            Start = $null; End = $null; Status = 'Waiting'; Percent = -1; Bytes = [long]0
        }
    }
    if ($null -ne $Session) {
        foreach ($item in $Session) {
            if ($item -isnot [System.Management.Automation.Runspaces.PSSession]) {
                Stop-VmmCommand -Cmdlet $Caller -Message "-Session takes PSSession objects (New-PSSession); '$item' is not one." -ErrorId NotASession -Category InvalidArgument -Target $item -ExceptionType ([System.ArgumentException])
            }
            $servers.Add((& $newServer $item.ComputerName $item $false $null))
        }
    }
    foreach ($name in @($ComputerName)) {
        if ([string]::IsNullOrWhiteSpace($name)) { continue }
        # Over SSH, [user@]host[:port]: the server is named by its host, as a session names it.
        $hostName = $name
        $match = [regex]::Match($name, '^(?:(?<user>[^@]+)@)?(?<host>[^:@]+)(?::(?<port>\d+))?$')
        if (-not [string]::IsNullOrEmpty($KeyFilePath) -and $match.Success) { $hostName = $match.Groups['host'].Value }
        $entry = & $newServer $hostName $null $true $null
        $entry | Add-Member -NotePropertyName Target -NotePropertyValue $name
        $servers.Add($entry)
    }
    if ($servers.Count -eq 0) {
        Stop-VmmCommand -Cmdlet $Caller -Message 'No server was given: pass -Session with at least one PSSession, or -ComputerName with at least one name.' -ErrorId NoServer -Category InvalidArgument -ExceptionType ([System.ArgumentException])
    }
    $seen = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($server in $servers) {
        if (-not $seen.Add($server.Folder)) {
            Stop-VmmCommand -Cmdlet $Caller -Message "The server '$($server.ComputerName)' is given twice. Each server writes its own folder; name each server once." -ErrorId DuplicateServer -Category InvalidArgument -Target $server.ComputerName -ExceptionType ([System.ArgumentException])
        }
    }

    # The module's files, sent as bytes so their signatures travel with them.
    $files = @{}
    $base = $module.ModuleBase
    foreach ($file in (Get-ChildItem -LiteralPath $base -Recurse -File)) {
        $relative = $file.FullName.Substring($base.Length).TrimStart('\', '/').Replace('\', '/')
        $files[$relative] = [System.IO.File]::ReadAllBytes($file.FullName)
    }
    $runId = [guid]::NewGuid().ToString('N')

    $remote = {
        param([hashtable] $Files, [string] $RunId, [string] $Version, [string] $CommandName, [hashtable] $Parameters, [string[]] $FolderParameter, [string] $Folder)
        $ErrorActionPreference = 'Stop'
        # The server's own subfolder, joined with the server's separator.
        foreach ($name in $FolderParameter) {
            if ($Parameters.ContainsKey($name)) { $Parameters[$name] = [System.IO.Path]::Combine(([string]$Parameters[$name]).TrimEnd('\', '/'), $Folder) }
        }
        $loaded = @(Get-Module -Name VmmBackup)
        $folder = $null
        $imported = $null
        try {
            if ($loaded.Count -gt 0 -and $loaded[0].Version -ne [version]$Version) {
                throw "This session has VmmBackup $($loaded[0].Version) loaded, the caller runs $Version. Remove it from the session (Remove-Module VmmBackup) or use a new session."
            }
            if ($loaded.Count -eq 0) {
                $folder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'VmmBackup-' + $RunId + '-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
                $moduleFolder = [System.IO.Path]::Combine($folder, 'VmmBackup')
                foreach ($key in $Files.Keys) {
                    $target = $moduleFolder
                    foreach ($part in $key.Split('/')) { $target = [System.IO.Path]::Combine($target, $part) }
                    $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($target))
                    [System.IO.File]::WriteAllBytes($target, [byte[]]$Files[$key])
                }
                $imported = Import-Module -Name ([System.IO.Path]::Combine($moduleFolder, 'VmmBackup.psd1')) -PassThru -Force -ErrorAction Stop
                if ($imported.Version -ne [version]$Version) { throw "The module imported on this server is version $($imported.Version), the caller runs $Version." }
            }
            $ErrorActionPreference = 'Continue'
            & "VmmBackup\$CommandName" @Parameters
        } finally {
            if ($null -ne $imported) { Remove-Module -ModuleInfo $imported -Force -ErrorAction SilentlyContinue }
            if ($null -ne $folder -and [System.IO.Directory]::Exists($folder)) { [System.IO.Directory]::Delete($folder, $true) }
        }
    }

    $failServer = {
        param($Server, [string] $Reason)
        $Server.State = 'Failed'
        $Server.Reason = $Reason
        $Server.End = Get-Date
        if ($null -eq $Server.Start) { $Server.Start = $Server.End }
    }
    $writeProgress = {
        $done = 0
        foreach ($server in $servers) { if ($server.State -eq 'Succeeded' -or $server.State -eq 'Failed') { $done++ } }
        Write-Progress -Id $progressId -Activity $activity -Status ('{0} of {1} servers finished' -f $done, $servers.Count) -PercentComplete ([int](100 * $done / $servers.Count))
        for ($i = 0; $i -lt $servers.Count; $i++) {
            $server = $servers[$i]
            $status = $server.State
            if ($server.State -eq 'Running') { $status = $server.Status }
            if ($null -ne $server.Start -and $server.State -eq 'Running') { $status = ('{0} ({1:N0} s)' -f $status, ((Get-Date) - $server.Start).TotalSeconds) }
            $arguments = @{ Id = $progressId + 1 + $i; ParentId = $progressId; Activity = $server.ComputerName; Status = $status }
            if ($server.Percent -ge 0) { $arguments.PercentComplete = $server.Percent }
            Write-Progress @arguments
        }
    }

    $pendingErrors = New-Object -TypeName System.Collections.Generic.List[object]
    try {
        # Sessions to open: WinRM with -Credential, or SSH with -KeyFilePath. A server that cannot be reached
        # fails alone.
        foreach ($server in $servers) {
            if (-not $server.Owned) { continue }
            Write-Progress -Id $progressId -Activity $activity -Status "Connecting to $($server.ComputerName)"
            try {
                if (-not [string]::IsNullOrEmpty($KeyFilePath)) {
                    $match = [regex]::Match($server.Target, '^(?:(?<user>[^@]+)@)?(?<host>[^:@]+)(?::(?<port>\d+))?$')
                    if (-not $match.Success) { throw "'$($server.Target)' is not [user@]host[:port]." }
                    $options = @{ ServerAliveInterval = '10'; ServerAliveCountMax = '3'; ConnectTimeout = '15' }
                    if ($null -ne $SshOption) { foreach ($key in $SshOption.Keys) { $options[[string]$key] = [string]$SshOption[$key] } }
                    $open = @{ HostName = $match.Groups['host'].Value; KeyFilePath = $KeyFilePath; Options = $options; ErrorAction = 'Stop' }
                    if ($match.Groups['user'].Success) { $open.UserName = $match.Groups['user'].Value }
                    if ($match.Groups['port'].Success) { $open.Port = [int]$match.Groups['port'].Value }
                    $server.Session = New-PSSession @open
                } else {
                    $open = @{ ComputerName = $server.ComputerName; ErrorAction = 'Stop' }
                    if ($null -ne $Credential) { $open.Credential = $Credential }
                    if ($OperationTimeoutSec -gt 0) { $open.SessionOption = New-PSSessionOption -OperationTimeout ($OperationTimeoutSec * 1000) }
                    $server.Session = New-PSSession @open
                }
            } catch {
                & $failServer $server "Cannot open a session: $($_.Exception.Message)"
            }
        }

        $queue = New-Object -TypeName System.Collections.Generic.Queue[object]
        foreach ($server in $servers) {
            if ($server.State -ne 'Pending') { continue }
            if ($server.Session.State -ne [System.Management.Automation.Runspaces.RunspaceState]::Opened) {
                & $failServer $server "The session is $($server.Session.State), not Opened: the server cannot be reached."
                continue
            }
            $queue.Enqueue($server)
        }
        $running = New-Object -TypeName System.Collections.Generic.List[object]
        $lastProgress = [System.Diagnostics.Stopwatch]::StartNew()
        & $writeProgress
        while ($queue.Count -gt 0 -or $running.Count -gt 0) {
            while ($queue.Count -gt 0 -and $running.Count -lt $ThrottleLimit) {
                $server = $queue.Dequeue()
                $arguments = @{}
                foreach ($key in $common.Keys) { $arguments[$key] = $common[$key] }
                $server.Start = Get-Date
                $server.State = 'Running'
                $server.Job = Invoke-Command -Session $server.Session -ScriptBlock $remote -ArgumentList $files, $runId, $version, $CommandName, $arguments, $ServerFolderParameter, $server.Folder -AsJob
                $running.Add($server)
            }
            Start-Sleep -Milliseconds 100
            foreach ($server in $running.ToArray()) {
                $child = $server.Job.ChildJobs[0]
                # The state first: once it is final, everything the server wrote is in the streams read next.
                $state = $server.Job.State
                foreach ($record in @($child.Output.ReadAll())) { $server.Output.Add($record) }
                $progress = @($child.Progress.ReadAll())
                if ($progress.Count -gt 0) {
                    $last = $progress[$progress.Count - 1]
                    if ($last.RecordType -ne [System.Management.Automation.ProgressRecordType]::Completed) {
                        $server.Status = $last.Activity + ': ' + $last.StatusDescription
                        $server.Percent = $last.PercentComplete
                    }
                }
                # Errors are written once every server is done: under -ErrorAction Stop the first one ends the
                # command, and it must not end the other servers' runs.
                foreach ($record in @($child.Error.ReadAll())) {
                    $pendingErrors.Add([pscustomobject]@{ Message = "[$($server.ComputerName)] $($record.Exception.Message)"; Category = $record.CategoryInfo.Category; ErrorId = ('Remote.' + $record.FullyQualifiedErrorId.Split(',')[0]); Target = $server.ComputerName })
                }
                foreach ($record in @($child.Warning.ReadAll())) { Write-Warning "[$($server.ComputerName)] $($record.Message)" }
                foreach ($record in @($child.Verbose.ReadAll())) { Write-Verbose "[$($server.ComputerName)] $($record.Message)" }
                if ($state -eq [System.Management.Automation.JobState]::Completed) {
                    $server.State = 'Succeeded'
                    $server.End = Get-Date
                } elseif ($state -eq [System.Management.Automation.JobState]::Failed -or $state -eq [System.Management.Automation.JobState]::Stopped -or $state -eq [System.Management.Automation.JobState]::Disconnected) {
                    $reason = $null
                    if ($null -ne $child.JobStateInfo.Reason) { $reason = $child.JobStateInfo.Reason.Message }
                    if ([string]::IsNullOrWhiteSpace($reason)) { $reason = "The job ended in the state $state." }
                    if ($server.Session.State -ne [System.Management.Automation.Runspaces.RunspaceState]::Opened) {
                        $reason = "The session broke during the run (the server stopped, was killed or stopped answering): $reason"
                    }
                    & $failServer $server $reason
                } elseif ($OperationTimeoutSec -gt 0 -and ((Get-Date) - $server.Start).TotalSeconds -gt $OperationTimeoutSec) {
                    & $failServer $server "No result within -OperationTimeoutSec $OperationTimeoutSec s: the server is stopped waiting for. Its set stays unfinished and the next run resumes it."
                    # Stopping a job whose server stopped answering may block; it is left to the session's end.
                    if ($server.Owned) { $null = $server.Session.Runspace.CloseAsync() }
                }
                if ($server.State -eq 'Succeeded' -or $server.State -eq 'Failed') { $null = $running.Remove($server) }
                foreach ($record in $server.Output) {
                    if ($null -eq $record) { continue }
                    $typeName = $null
                    foreach ($candidate in $record.PSObject.TypeNames) {
                        if ($candidate -like 'Deserialized.VmmBackup.*') { $typeName = $candidate.Substring(13); break }
                        if ($candidate -like 'VmmBackup.*') { $typeName = $candidate; break }
                    }
                    $copy = [ordered]@{}
                    if ($null -ne $typeName) { $copy.PSTypeName = $typeName }
                    foreach ($property in $record.PSObject.Properties) {
                        if ($property.MemberType -ne [System.Management.Automation.PSMemberTypes]::NoteProperty -or $property.Name -eq 'PSComputerName' -or $property.Name -eq 'RunspaceId' -or $property.Name -eq 'PSShowComputerName') { continue }
                        $copy[$property.Name] = $property.Value
                        if ($property.Name -eq 'Bytes' -and $property.Value -is [long]) { $server.Bytes += [long]$property.Value }
                        if ($property.Name -eq 'Bytes' -and $property.Value -is [int]) { $server.Bytes += [long]$property.Value }
                    }
                    $copy.ComputerName = $server.ComputerName
                    [pscustomobject]$copy
                }
                $server.Output.Clear()
            }
            if ($lastProgress.ElapsedMilliseconds -ge 250) {
                & $writeProgress
                $lastProgress.Reset()
                $lastProgress.Start()
            }
        }
    } finally {
        foreach ($server in $servers) {
            if ($server.State -eq 'Running' -or $server.State -eq 'Pending') { & $failServer $server 'The run was stopped before this server finished.' }
            if ($null -ne $server.Job -and $server.Job.State -ne [System.Management.Automation.JobState]::Running) { Remove-Job -Job $server.Job -Force -ErrorAction SilentlyContinue }
            if ($server.Owned -and $null -ne $server.Session -and $server.Session.State -eq [System.Management.Automation.Runspaces.RunspaceState]::Opened) {
                Remove-PSSession -Session $server.Session -ErrorAction SilentlyContinue
            }
        }
        Write-Progress -Id $progressId -Activity $activity -Completed
    }

    # One error per failed server, then the summary.
    $failedCount = 0
    $lines = New-Object -TypeName System.Collections.Generic.List[string]
    $perServer = New-Object -TypeName System.Collections.Generic.List[object]
    foreach ($server in $servers) {
        $seconds = 0.0
        if ($null -ne $server.Start -and $null -ne $server.End) { $seconds = ($server.End - $server.Start).TotalSeconds }
        $rate = 0.0
        if ($seconds -gt 0) { $rate = $server.Bytes / 1MB / $seconds }
        if ($server.State -eq 'Failed') {
            $failedCount++
            if ($null -ne $NewFailedItem) { & $NewFailedItem $server.ComputerName $server.Reason $server.Start $server.End }
            $pendingErrors.Add([pscustomobject]@{ Message = "[$($server.ComputerName)] $CommandName failed: $($server.Reason)"; Category = [System.Management.Automation.ErrorCategory]::ConnectionError; ErrorId = 'RemoteServerFailed'; Target = $server.ComputerName })
            $lines.Add(('{0}: Failed after {1:N1} s: {2}' -f $server.ComputerName, $seconds, $server.Reason))
        } else {
            $lines.Add(('{0}: Succeeded in {1:N1} s, {2:N1} MB, {3:N1} MB/s' -f $server.ComputerName, $seconds, ($server.Bytes / 1MB), $rate))
        }
        $perServer.Add([pscustomobject]@{ ComputerName = $server.ComputerName; State = $server.State; Reason = $server.Reason; Seconds = $seconds; Bytes = $server.Bytes; MBPerSecond = $rate })
    }
    $summary = [pscustomobject]@{
        PSTypeName = 'VmmBackup.FanOutSummary'
        Command    = $CommandName
        Servers    = $servers.Count
        Succeeded  = $servers.Count - $failedCount
        Failed     = $failedCount
        Seconds    = ((Get-Date) - $runStart).TotalSeconds
        PerServer  = $perServer.ToArray()
    }
    $text = ('{0} on {1} server(s): {2} succeeded, {3} failed.' -f $CommandName, $servers.Count, $summary.Succeeded, $failedCount) + [System.Environment]::NewLine + ($lines -join [System.Environment]::NewLine)
    # The object for PowerShell callers; its text for those that read messages (the bridge, a transcript).
    $summary | Add-Member -MemberType ScriptMethod -Name ToString -Value ([scriptblock]::Create('$this.Text')) -Force
    $summary | Add-Member -MemberType NoteProperty -Name Text -Value $text
    Write-Verbose $text
    Write-Information -MessageData $summary -Tags 'VmmBackup.FanOutSummary'
    foreach ($item in $pendingErrors) { Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message $item.Message -Category $item.Category -ErrorId $item.ErrorId -Target $item.Target }
}

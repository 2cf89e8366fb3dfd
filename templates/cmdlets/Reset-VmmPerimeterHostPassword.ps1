function Reset-VmmPerimeterHostPassword {
    $model = Get-VmmObjectModel
    if (-not $PassThruPassword -and -not $WhatIfPreference) {
        throw 'Without -PassThruPassword the new password would be set in VMM but never given to you, so you could not set it on the host. Run again with -PassThruPassword: each result then carries its password as a SecureString (never as plain text).'
    }
    $connection = Get-VmmServerConnection -VMMServer $VMMServer
    try {
        $hosts = @(Get-SCVMHost -VMMServer $connection -ErrorAction Stop)
    } catch {
        throw "Cannot list the hosts of the VMM management server '$VMMServer': $($_.Exception.Message)"
    }
    $nameOf = { param($VMHost) [string](Get-VmmPropertyValue $VMHost $model.Host.NameProperty) }
    $matchesName = {
        param($VMHost, [string] $Wanted)
        $name = & $nameOf $VMHost
        ($name -eq $Wanted) -or (($name -split '\.')[0] -eq $Wanted)
    }
    $perimeter = @($hosts | Where-Object { [bool](Get-VmmPropertyValue $_ $model.Host.PerimeterProperty) })
    if ($ComputerName) {
        foreach ($wanted in $ComputerName) {
            $found = @($hosts | Where-Object { & $matchesName $_ $wanted })
            if ($found.Count -eq 0) {
                Write-Error -Message "VMM manages no host named '$wanted'." -Category ObjectNotFound -TargetObject $wanted
            } elseif (@($found | Where-Object { [bool](Get-VmmPropertyValue $_ $model.Host.PerimeterProperty) }).Count -eq 0) {
                Write-Error -Message "The host '$wanted' is not a perimeter-network host ($($model.Host.PerimeterProperty) is not set): its password is not managed this way." -Category InvalidArgument -TargetObject $wanted
            }
        }
        $perimeter = @($perimeter | Where-Object { $candidate = $_; @($ComputerName | Where-Object { & $matchesName $candidate $_ }).Count -gt 0 })
    }
    $targets = @($perimeter | Where-Object { [string](Get-VmmPropertyValue $_ $model.Host.StateProperty) -eq $model.Host.NotResponding })
    foreach ($skipped in @($perimeter | Where-Object { $targets -notcontains $_ })) {
        Write-Verbose ("Perimeter-network host '{0}' shows {1}, not {2}: left as it is." -f (& $nameOf $skipped), (Get-VmmPropertyValue $skipped $model.Host.StateProperty), $model.Host.NotResponding)
    }

    foreach ($vmHost in $targets) {
        $name = & $nameOf $vmHost
        $accountPattern = $model.PerimeterAccountPattern
        if (-not $PSCmdlet.ShouldProcess($name, 'Set a new password for the VMM account of the perimeter-network host (Set-SCVMHost -VMHostManagementCredential)')) { continue }
        $password = New-VmmStrongPassword
        # VMM takes only the password of the perimeter host's account; the user name of the credential is not used.
        $credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList 'scvmm', $password
        $instruction = ("On {0}: sign in, find the local administrator account whose name is scvmm followed by 5 characters (Get-LocalUser | Where-Object Name -match '{1}'), and set its password to the new password of this result (Set-LocalUser -Name <that account> -Password <Password of this result>). VMM already holds the same password; then refresh the host (Read-SCVMHost) and check that it responds." -f $name, $accountPattern)
        $state = 'ActionRequired'
        try {
            $null = Set-SCVMHost -VMHost $vmHost -VMHostManagementCredential $credential -ErrorAction Stop
            Write-Verbose "The new password of the VMM account of '$name' is set in VMM."
        } catch {
            $state = 'Failed'
            $instruction = ("VMM did not take the new password for '{0}' ({1}). Nothing was changed on the host. In the VMM console open the host's Properties, Options tab, and assign the password there after changing it on the host." -f $name, $_.Exception.Message)
            Write-Error -Message $instruction -Category NotSpecified -TargetObject $name
        }
        $returned = $null
        if ($PassThruPassword -and $state -ne 'Failed') { $returned = $password }
        [pscustomobject][ordered]@{
            PSTypeName     = 'VmmBackup.PerimeterHostReset'
            ComputerName   = $name
            AccountPattern = $accountPattern
            Instruction    = $instruction
            State          = $state
            Password       = $returned
        }
    }
}
